// The backend bench/backstage-fleet.ts measures, as a process of its own so that its resident
// memory is the backend's alone: Backstage's test backend with the plugin over the clusters
// given, a catalog serving the annotated entities (serialised once, so its cost stays out of
// the figures) and an allow-all permission service.
//
// Reads a FleetBackendJob as JSON on stdin; prints `listening <port>` once it serves.
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import greenlightPlugin from '@greenlight/backstage-plugin-greenlight-backend';
import { entity, routerPlugin } from '@greenlight/test-kit/backstage/backend';

export interface FleetBackendJob {
  clusters: { name: string; kubeconfig: string }[];
  prometheusUrl: string;
  /** Per entity: its name, the Canary it annotates (`namespace/name`) and that Canary's cluster. */
  entities: { name: string; canary: string; cluster: string }[];
}

const job = JSON.parse(await text(process.stdin)) as FleetBackendJob;
const catalogAnswer = JSON.stringify(
  job.entities.map(({ name, canary, cluster }) =>
    entity(name, { 'greenlight.dev/canary': canary, 'greenlight.dev/cluster': cluster }),
  ),
);

const backend = await startTestBackend({
  features: [
    greenlightPlugin,
    routerPlugin('catalog', (router) => {
      router.get('/entities', (_req, res) => {
        res.type('application/json').send(catalogAnswer);
      });
    }),
    mockServices.rootConfig.factory({
      data: {
        greenlight: {
          clusters: job.clusters,
          prometheus: { url: job.prometheusUrl, timeoutMs: 10_000 },
          metrics: { source: 'sandbox' },
        },
      },
    }),
    mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
  ],
});
console.log(`listening ${(backend.server.address() as AddressInfo).port}`);
// At once, whatever is still queued (a --cpu-prof profile is written on exit).
process.once('SIGTERM', () => process.exit(0));
