// Found by the faulted rollouts: the action's follow and the CLI's watch act only while all
// three of their caches (Canary, Deployments, route) are synced, and were woken only by a
// change. When the last change of a rollout reached one cache while another was catching up
// after a failed watch, and that one then caught up with nothing new, nobody looked again:
// the action reported `timed-out` for a canary that had succeeded and the CLI never exited.
// Caches now also say when they are synced again (ObjectCache.onSync).
//
// The action's follow has since come to watch the Canary alone and to read the route and
// the Deployments when a status change needs them (action/src/follow/follow-reads.ts); its hazard
// of the same kind is a read that fails as the promotion lands.
import { KubeConfig } from '@kubernetes/client-node';
import type { RolloutView } from '@greenlight/core';
import { renderKubeconfig } from '@greenlight/sandbox';
import { follow } from '../../action/src/follow/follow.ts';
import { watchRollout as followRollout } from '@greenlight/core';
import {
  deployChatbot,
  eventually,
  startTestCluster,
  type TestCluster,
} from '@greenlight/test-kit/cluster';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';
import { flaggerWrites, type FlaggerWrites } from '@greenlight/test-kit/flagger';

const NS = 'openfaas-fn';
let cluster: TestCluster;
let proxy: FaultProxy;
let proxied: KubeConfig;
let flagger: FlaggerWrites;

beforeEach(async () => {
  cluster = await startTestCluster();
  proxy = await startFaultProxy(cluster.api.url, 1, {
    error500: 0,
    throttle429: 0,
    slow: 0,
    resetMidWatch: 0,
    gone410: 0,
  });
  proxied = new KubeConfig();
  proxied.loadFromString(renderKubeconfig(proxy.url));
  flagger = flaggerWrites(cluster.api.url, cluster.kube);
  await deployChatbot(cluster.kube, { namespace: NS, name: 'chatbot', revision: 'rev-1' });
  await flagger.primary('chatbot', 'rev-0');
  await flagger.analyse('chatbot', [10, 50]);
});
afterEach(async () => {
  await proxy.close();
  await cluster.close();
});

/** The route's watch drops and cannot come back; meanwhile Flagger promotes; then it can. */
async function promoteWhileTheRouteCacheCatchesUp(): Promise<void> {
  const refusedBefore = proxy.counts()['error-500'];
  proxy.script((entry) =>
    entry.watch && entry.path.endsWith('/trafficsplits') ? 'error-500' : undefined,
  );
  cluster.api.disconnectWatches();
  await eventually(() => proxy.counts()['error-500'] > refusedBefore);
  await flagger.status('chatbot', 'Promoting');
  await flagger.primary('chatbot', 'rev-1');
  await flagger.status('chatbot', 'Succeeded');
  // Both changes reach the Canary and Deployment caches while the route cache is out.
  await new Promise((resolve) => setTimeout(resolve, 300));
  proxy.script(undefined);
}

test("the CLI's watch sees a promotion that landed while its route cache was catching up", async () => {
  let verdict: string | undefined;
  const follower = followRollout(
    proxied,
    { namespace: NS, name: 'chatbot' },
    'linkerd',
    (view?: RolloutView) => {
      verdict = view?.verdict;
    },
  );
  try {
    await follower.ready;
    expect(verdict).toBe('in-progress');
    await promoteWhileTheRouteCacheCatchesUp();
    await eventually(() => verdict === 'succeeded', 5000);
  } finally {
    follower.stop();
  }
});

/** Reads of the primary fail while Flagger promotes (Succeeded needs it); then they succeed. */
async function promoteWhileThePrimaryCannotBeRead(): Promise<void> {
  const refusedBefore = proxy.counts()['error-500'];
  proxy.script((entry) =>
    entry.path.endsWith('/deployments/chatbot-primary') ? 'error-500' : undefined,
  );
  cluster.api.disconnectWatches();
  await flagger.status('chatbot', 'Promoting');
  await flagger.primary('chatbot', 'rev-1');
  await flagger.status('chatbot', 'Succeeded');
  await eventually(() => proxy.counts()['error-500'] > refusedBefore);
  await new Promise((resolve) => setTimeout(resolve, 300));
  proxy.script(undefined);
}

test("the action's follow reports succeeded, not timed-out, for a promotion it could not confirm at once (the primary's read failed)", async () => {
  const following = follow({
    kc: proxied,
    namespace: NS,
    canaries: [{ name: 'chatbot', revision: 'rev-1' }],
    until: 'done',
    deadline: Date.now() + 6000,
    log: () => undefined,
  });
  // @actions/core writes its ::group:: commands straight to stdout.
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
    String(chunk).startsWith('::') ? true : write(chunk, ...rest)) as typeof process.stdout.write;
  try {
    await eventually(() => cluster.api.openWatches() >= 1);
    await promoteWhileThePrimaryCannotBeRead();
    const [result] = await following;
    expect(result?.outcome).toBe('succeeded');
  } finally {
    process.stdout.write = write;
  }
});
