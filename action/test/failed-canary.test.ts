// A deploy onto a Canary that Flagger rolled back moments ago. At each check of a failed
// canary Flagger re-syncs its status — lastAppliedSpec of the new pod template, a new
// lastTransitionTime, the phase still Failed (scheduler.go shouldAdvance) — before it
// starts the new analysis; that Failed is the previous revision's, not the new one's.
import type { Canary } from 'flagger-types';
import { startTestCluster, type TestCluster } from '@greenlight/test-kit/cluster';
import { runAction } from '@greenlight/test-kit/processes/run-action';
import {
  analyse,
  existingFunction,
  NS,
  promote,
  setStatus,
  waitForRevision,
} from '@greenlight/test-kit/flagger/steps';

const REV = 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0';
let cluster: TestCluster;

beforeEach(async () => {
  cluster = await startTestCluster();
  await existingFunction(cluster.kube, 'chatbot', 'v1');
});
afterEach(() => cluster.close());

const inputs = (extra: Record<string, string> = {}) => ({
  kubeconfig: cluster.api.kubeconfig(),
  builder: 'none',
  functions: 'chatbot',
  interval: '10s',
  timeout: '20s',
  ...extra,
});

test('the re-synced Failed of the previous rollback does not fail the next deploy', async () => {
  const { api, kube } = cluster;
  expect(
    (await runAction({ inputs: inputs({ revision: 'v2', 'wait-until': 'applied' }) })).code,
  ).toBe(0);
  // v2 was just rolled back, in the second the next merge's deploy starts.
  await setStatus(api, 'chatbot', 'Failed');
  const failed = await kube.get<Canary>({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    namespace: NS,
    name: 'chatbot',
  });

  const deploying = runAction({ inputs: inputs() });
  await waitForRevision(kube, 'chatbot', REV);
  // Flagger's next check: the same Failed with the new template's hash; the Promoted
  // condition is left as it was, since the phase did not change (status.go).
  await setStatus(api, 'chatbot', 'Failed', { conditions: failed?.status?.conditions });
  await analyse(api, kube, 'chatbot', [10, 50]);
  await promote(api, kube, 'chatbot', REV);
  const run = await deploying;

  expect(run.errors).toEqual([]);
  expect(run.outputs.result).toBe('succeeded');
  expect(run.code).toBe(0);
});
