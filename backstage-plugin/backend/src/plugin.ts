import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { PrometheusMetrics } from '@greenlight/core';
import { greenlightPermissions } from '@greenlight/backstage-plugin-greenlight-common';
import { readGreenlightConfig } from './config.ts';
import { greenlightRolloutsExtensionPoint } from './extension-point.ts';
import { createRouter } from './router.ts';
import { RolloutAccess } from './service/access.ts';
import { CatalogEntities } from './service/catalog-entities.ts';
import { MetricsService } from './service/metrics-service.ts';
import { RolloutCache } from './service/rollout-cache.ts';
import { startRolloutSignals } from './signals/rollout-signals.ts';
import { startSlack } from './slack/start-slack.ts';

/** Greenlight's backend: Flagger rollouts with golden metrics, approve and roll back. */
export const greenlightPlugin = createBackendPlugin({
  pluginId: 'greenlight',
  register(env) {
    const followers: ((rollouts: RolloutCache) => void)[] = [];
    env.registerExtensionPoint(greenlightRolloutsExtensionPoint, {
      addFollower: (follow) => followers.push(follow),
    });
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        lifecycle: coreServices.lifecycle,
        database: coreServices.database,
        // Its default publishes through the events service; only with Backstage's signals
        // backend does a signal reach a page (the pages poll without it).
        signals: signalsServiceRef,
      },
      async init(deps) {
        const { config, logger, httpRouter, lifecycle } = deps;
        const settings = readGreenlightConfig(config);
        deps.permissionsRegistry.addPermissions(greenlightPermissions);

        const rollouts = new RolloutCache(settings.clusters, logger);
        lifecycle.addShutdownHook(() => rollouts.stop());
        lifecycle.addShutdownHook(startRolloutSignals(rollouts, deps.signals, logger));
        for (const follow of followers) follow(rollouts);
        const metrics = new MetricsService({
          // Each cluster's own Prometheus (clusters[].prometheusUrl), else the shared one.
          // Without a URL every metrics answer says so; rollouts still show.
          sources: new Map(
            settings.clusters.map((cluster) => [
              cluster.name,
              new PrometheusMetrics({
                url:
                  cluster.prometheusUrl ??
                  settings.prometheus?.url ??
                  'http://prometheus.invalid:9090',
                ...(settings.prometheus?.timeoutMs
                  ? { timeoutMs: settings.prometheus.timeoutMs }
                  : {}),
              }),
            ]),
          ),
          sourceName: settings.metricsSource,
        });
        const access = new RolloutAccess({
          permissions: deps.permissions,
          catalog: new CatalogEntities({ discovery: deps.discovery, auth: deps.auth }),
          clusters: settings.clusters.map((cluster) => cluster.name),
        });

        if (settings.slack) {
          // Before the JSON API's router: Slack's signature is over the raw body.
          httpRouter.use(
            await startSlack(settings.slack, {
              ...deps,
              rollouts,
              metrics,
              window: settings.window,
            }),
          );
        }
        httpRouter.use(
          await createRouter({
            logger,
            httpAuth: deps.httpAuth,
            auditor: deps.auditor,
            access,
            rollouts,
            metrics,
            window: settings.window,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
