// The plugin for apps on Backstage's legacy frontend system (App.tsx with routes).
import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { greenlightApiRef } from './api/GreenlightApi.ts';
import { GreenlightClient } from './api/GreenlightClient.ts';

export const rootRouteRef = createRouteRef({ id: 'greenlight' });
export const entityContentRouteRef = createRouteRef({ id: 'greenlight:entity-content' });

export const greenlightPlugin = createPlugin({
  id: 'greenlight',
  apis: [
    createApiFactory({
      api: greenlightApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new GreenlightClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

/** The entity tab: `<EntityLayout.Route path="/rollout" title="Rollout" if={isGreenlightAvailable}>`. */
export const EntityGreenlightContent = greenlightPlugin.provide(
  createRoutableExtension({
    name: 'EntityGreenlightContent',
    component: () =>
      import('./components/EntityGreenlightContent.tsx').then((m) => m.EntityGreenlightContent),
    mountPoint: entityContentRouteRef,
  }),
);

/** The overview card. */
export const EntityGreenlightCard = greenlightPlugin.provide(
  createComponentExtension({
    name: 'EntityGreenlightCard',
    component: {
      lazy: () =>
        import('./components/EntityGreenlightCard.tsx').then((m) => m.EntityGreenlightCard),
    },
  }),
);

/** The fleet page: `<Route path="/greenlight" element={<GreenlightPage />} />`. */
export const GreenlightPage = greenlightPlugin.provide(
  createRoutableExtension({
    name: 'GreenlightPage',
    component: () =>
      import('./components/GreenlightFleetPage.tsx').then((m) => m.GreenlightFleetPage),
    mountPoint: rootRouteRef,
  }),
);
