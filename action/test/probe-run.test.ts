// Which probe run the action reports for a revision (src/follow/probe-run.ts), from Events on
// the Canary as anyone may write them with plain Kubernetes writes: only the prober's own
// (source greenlight-probe), only of this revision, only of the rollout being followed.
import type { KubernetesObject } from '@kubernetes/client-node';
import { createKubeClient, probeRunEvent, PROBE_EVENT_COMPONENT } from '@greenlight/core';
import { follow } from '../src/follow/follow.ts';
import {
  deployChatbot,
  eventually,
  startTestCluster,
  type TestCluster,
} from '@greenlight/test-kit/cluster';
import { flaggerWrites, type FlaggerWrites } from '@greenlight/test-kit/flagger';

const NS = 'openfaas-fn';
const REV = 'rev-1';
let cluster: TestCluster;
let flagger: FlaggerWrites;
let write: typeof process.stdout.write;

beforeEach(async () => {
  cluster = await startTestCluster();
  flagger = flaggerWrites(cluster.api.url, cluster.kube);
  await deployChatbot(cluster.kube, { namespace: NS, name: 'chatbot', revision: REV });
  await flagger.primary('chatbot', 'rev-0');
  await flagger.analyse('chatbot', [10]);
  // @actions/core writes its ::group:: commands straight to stdout.
  write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
    String(chunk).startsWith('::') ? true : write(chunk, ...rest)) as typeof process.stdout.write;
});
afterEach(async () => {
  process.stdout.write = write;
  await cluster.close();
});

let n = 0;
/** A probe run's Event on the Canary, worded as the prober words it, from `component` at `at`. */
function runEvent(component: string, at: Date, passed: boolean, revision = REV): KubernetesObject {
  const run = passed
    ? { ok: true, requests: 10, durationMs: 42 }
    : {
        ok: false,
        requests: 1,
        durationMs: 5,
        failure: {
          conversation: 'greets',
          turn: 1,
          request: 'webchat {}',
          reply: '500 boom',
          reason: 'status 500, expected 200',
        },
      };
  const text = probeRunEvent('rollout', revision, run);
  const stamp = at.toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `chatbot.run${(n += 1)}`, namespace: NS },
    involvedObject: {
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      name: 'chatbot',
      namespace: NS,
    },
    ...text,
    source: { component },
    firstTimestamp: stamp,
    lastTimestamp: stamp,
    count: 1,
  } as KubernetesObject;
}

async function followed(since: Date, events: KubernetesObject[]) {
  const kube = createKubeClient(cluster.kc);
  for (const event of events) await kube.apply(event);
  const following = follow({
    kc: cluster.kc,
    namespace: NS,
    canaries: [{ name: 'chatbot', revision: REV, probed: true, since }],
    until: 'done',
    deadline: Date.now() + 10_000,
    log: () => {},
  });
  await eventually(() => cluster.api.openWatches() >= 1);
  await flagger.promote('chatbot', REV);
  const [result] = await following;
  return result?.probe;
}

const seconds = (s: number) => new Date(Date.now() + s * 1000);

test('takes the prober’s run of this rollout, not a look-alike Event from another source written later', async () => {
  const since = seconds(-60);
  const probe = await followed(since, [
    runEvent(PROBE_EVENT_COMPONENT, seconds(-30), false),
    // Team B (or anything that may create Events here) words a pass like the prober's.
    runEvent('team-b', seconds(-10), true),
  ]);
  expect(probe).toMatchObject({ passed: false, failure: expect.stringContaining('status 500') });
});

test('ignores the runs of an earlier rollout of the same revision', async () => {
  const since = seconds(-60);
  const probe = await followed(since, [
    runEvent(PROBE_EVENT_COMPONENT, seconds(-300), false),
    runEvent(PROBE_EVENT_COMPONENT, seconds(-20), true),
    runEvent(PROBE_EVENT_COMPONENT, seconds(-15), true, 'rev-other'),
  ]);
  expect(probe).toEqual({
    passed: true,
    message: 'rollout probe of revision rev-1: 10 requests in 42 ms',
  });
});

test('reports no run when the only one of this revision is from an earlier rollout', async () => {
  const probe = await followed(seconds(-60), [
    runEvent(PROBE_EVENT_COMPONENT, seconds(-300), true),
  ]);
  expect(probe).toBeUndefined();
});
