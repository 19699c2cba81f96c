import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { greenlightRolloutsExtensionPoint } from '../extension-point.ts';
import type { RolloutCache } from '../service/rollout-cache.ts';
import { NoticeStore } from './notice-store.ts';
import { RolloutNotices } from './rollout-notices.ts';

// Backstage notifications of rollouts, as a module the adopter adds beside the plugin and
// Backstage's notifications backend. A module rather than part of the plugin: the
// notification service always resolves (its default factory sends over HTTP), so the
// plugin could not tell that no notifications backend listens; adding the module is
// saying there is one.

const DEFAULT_INTERVAL_SECONDS = 15;

export const greenlightNotificationsModule = createBackendModule({
  pluginId: 'greenlight',
  moduleId: 'notifications',
  register(env) {
    let rollouts: RolloutCache | undefined;
    env.registerInit({
      deps: {
        greenlight: greenlightRolloutsExtensionPoint,
        notifications: notificationService,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        database: coreServices.database,
        lifecycle: coreServices.lifecycle,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
      },
      async init({
        greenlight,
        notifications,
        catalog,
        auth,
        database,
        lifecycle,
        logger,
        config,
      }) {
        const key = 'greenlight.notifications.intervalSeconds';
        const seconds = config.getOptionalNumber(key) ?? DEFAULT_INTERVAL_SECONDS;
        if (!(seconds > 0)) {
          throw new InputError(`${key} is ${seconds}: give a number of seconds above 0`);
        }
        greenlight.addFollower((cache) => {
          rollouts = cache;
        });
        const store = await NoticeStore.open(database);
        let notices: RolloutNotices | undefined;
        lifecycle.addStartupHook(() => {
          if (!rollouts) throw new Error('the greenlight plugin did not hand over its rollouts');
          notices = new RolloutNotices({
            rollouts,
            store,
            notifications,
            inCatalog: async (entityRef) => {
              const credentials = await auth.getOwnServiceCredentials();
              return (await catalog.getEntityByRef(entityRef, { credentials })) !== undefined;
            },
            intervalMs: seconds * 1000,
            logger,
          });
          notices.start();
        });
        lifecycle.addShutdownHook(() => notices?.stop());
      },
    });
  },
});
