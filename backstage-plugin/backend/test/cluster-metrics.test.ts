import { afterAll, beforeAll, expect, test } from '@jest/globals';
import request from 'supertest';
import type {
  FleetResponse,
  MetricsResponse,
} from '@greenlight/backstage-plugin-greenlight-common';
import { startBackend, entity } from '@greenlight/test-kit/backstage/backend';
import { NS, startStandIn } from '@greenlight/test-kit/cluster/backstage';
import type { StandIn } from '@greenlight/test-kit/cluster/backstage';

// `openfaas-fn/chatbot` in two clusters, each scraped by its own Prometheus: production's
// all on blue, staging's half on green. Each cluster's figures must be its own.
let production: StandIn;
let staging: StandIn;
let server: Awaited<ReturnType<typeof startBackend>>;

beforeAll(async () => {
  [production, staging] = await Promise.all([startStandIn(), startStandIn()]);
  const bot = { name: 'chatbot', revision: 'c0ffee1', promotedRevision: 'beef001' };
  production.deploy({
    ...bot,
    owner: 'component:default/chatbot-production',
    phase: 'Succeeded',
    greenWeight: 0,
  });
  staging.deploy({
    ...bot,
    owner: 'component:default/chatbot-staging',
    phase: 'Progressing',
    greenWeight: 50,
  });
  await Promise.all([production.startTraffic(), staging.startTraffic()]);
  server = await startBackend({
    kubeconfig: production.kubeconfig,
    clusters: [
      {
        name: 'production',
        kubeconfig: production.kubeconfig,
        prometheusUrl: production.prometheus.url,
      },
      { name: 'staging', kubeconfig: staging.kubeconfig, prometheusUrl: staging.prometheus.url },
    ],
    prometheusUrl: 'http://prometheus.invalid:9090',
    entities: ['production', 'staging'].map((cluster) =>
      entity(`chatbot-${cluster}`, {
        'greenlight.dev/canary': `${NS}/chatbot`,
        'greenlight.dev/cluster': cluster,
      }),
    ),
  });
});

afterAll(async () => {
  await Promise.all([production.close(), staging.close()]);
});

test('the fleet page shows each cluster its own Prometheus figures', async () => {
  const body: FleetResponse = (await request(server).get('/api/greenlight/rollouts').expect(200))
    .body;
  const of = (cluster: string) => body.items.find((item) => item.cluster === cluster)!.metrics;
  expect(body.metricsProblem).toBeUndefined();
  expect(of('production')).not.toBeNull();
  expect(of('staging')).not.toBeNull();
  expect(of('production')).not.toEqual(of('staging'));
});

test("the Rollout tab's metrics come from the Canary's own cluster", async () => {
  const detail = async (cluster: string): Promise<MetricsResponse> =>
    (
      await request(server)
        .get(`/api/greenlight/rollouts/${NS}/chatbot/metrics?cluster=${cluster}`)
        .expect(200)
    ).body;
  const [prod, stage] = await Promise.all([detail('production'), detail('staging')]);
  expect(prod.current).not.toEqual(stage.current);
});
