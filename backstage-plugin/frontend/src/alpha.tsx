// The plugin for the new frontend system: `features: [greenlightPlugin]`, or discovered.
import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint, EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { greenlightApiRef } from './api/GreenlightApi.ts';
import { GreenlightClient } from './api/GreenlightClient.ts';
import { isGreenlightAvailable } from './components/entity-annotations.ts';

const fleetRouteRef = createRouteRef();

const greenlightApi = ApiBlueprint.make({
  params: (defineParams) =>
    defineParams({
      api: greenlightApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new GreenlightClient({ discoveryApi, fetchApi }),
    }),
});

/** The "Rollout" tab of entities annotated `greenlight.dev/canary`. */
const rolloutContent = EntityContentBlueprint.make({
  name: 'rollout',
  params: {
    path: 'rollout',
    title: 'Rollout',
    filter: isGreenlightAvailable,
    loader: () =>
      import('./components/EntityGreenlightContent.tsx').then((m) => <m.EntityGreenlightContent />),
  },
});

/** The overview card of the same entities. */
const rolloutCard = EntityCardBlueprint.make({
  name: 'rollout',
  params: {
    filter: isGreenlightAvailable,
    loader: () =>
      import('./components/EntityGreenlightCard.tsx').then((m) => <m.EntityGreenlightCard />),
  },
});

/** Every chatbot's rollout, at /greenlight. */
const fleetPage = PageBlueprint.make({
  params: {
    path: '/greenlight',
    title: 'Greenlight',
    routeRef: fleetRouteRef,
    loader: () =>
      import('./components/GreenlightFleetPage.tsx').then((m) => <m.GreenlightFleetContent />),
  },
});

export const greenlightFrontendPlugin = createFrontendPlugin({
  pluginId: 'greenlight',
  title: 'Greenlight',
  routes: { root: fleetRouteRef },
  extensions: [greenlightApi, rolloutContent, rolloutCard, fleetPage],
});
