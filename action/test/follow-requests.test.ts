// What following a canary costs the Kubernetes API: the follow watches the Canary alone
// (one list, one watch, no discovery) and reads a Deployment or the route only when a
// status change makes it matter (src/follow/follow-reads.ts) — here, the primary at Succeeded;
// Promoting keeps the weight of the last step. Counted, not timed.
import { follow } from '../src/follow/follow.ts';
import {
  deployChatbot,
  eventually,
  startTestCluster,
  type TestCluster,
} from '@greenlight/test-kit/cluster';
import { flaggerWrites, type FlaggerWrites } from '@greenlight/test-kit/flagger';

const NS = 'openfaas-fn';
let cluster: TestCluster;
let flagger: FlaggerWrites;

beforeEach(async () => {
  cluster = await startTestCluster();
  flagger = flaggerWrites(cluster.api.url, cluster.kube);
  await deployChatbot(cluster.kube, { namespace: NS, name: 'chatbot', revision: 'rev-1' });
  await flagger.primary('chatbot', 'rev-0');
  // Also looks the TrafficSplit kind up for the test's Flagger, before anything is counted.
  await flagger.analyse('chatbot', [10]);
});
afterEach(() => cluster.close());

/**
 * The reads in the log since `since`, but Flagger's: the test's Flagger reads the Canary's
 * /status and the target's pod template (for lastAppliedSpec) before each status write.
 */
function followRequests(since: number): string[] {
  return cluster.api.requestLog
    .slice(since)
    .filter(
      (entry) =>
        entry.method === 'GET' &&
        !entry.path.endsWith('/status') &&
        !entry.path.endsWith(`/deployments/chatbot`),
    )
    .map((entry) => {
      const query = entry.query.fieldSelector ? `?fieldSelector=${entry.query.fieldSelector}` : '';
      return `${entry.watch ? 'WATCH' : 'GET'} ${entry.path}${query}`;
    });
}

test('following a canary through its analysis and promotion lists and watches the Canary once, with no discovery, and reads the primary at Succeeded', async () => {
  // @actions/core writes its ::group:: commands straight to stdout.
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
    String(chunk).startsWith('::') ? true : write(chunk, ...rest)) as typeof process.stdout.write;
  try {
    const since = cluster.api.requestLog.length;
    const lines: string[] = [];
    const following = follow({
      kc: cluster.kc,
      namespace: NS,
      canaries: [{ name: 'chatbot', revision: 'rev-1' }],
      until: 'done',
      deadline: Date.now() + 10_000,
      log: (line) => lines.push(line),
    });
    await eventually(() => cluster.api.openWatches() >= 1);
    await flagger.analyse('chatbot', [20, 30, 40, 50]);
    await flagger.promote('chatbot', 'rev-1');
    const [result] = await following;

    expect(result?.outcome).toBe('succeeded');
    expect(lines.some((line) => line.includes('Progressing · green 30% / blue 70%'))).toBe(true);
    expect(followRequests(since)).toEqual([
      `GET /apis/flagger.app/v1beta1/namespaces/${NS}/canaries?fieldSelector=metadata.name=chatbot`,
      `WATCH /apis/flagger.app/v1beta1/namespaces/${NS}/canaries?fieldSelector=metadata.name=chatbot`,
      `GET /apis/apps/v1/namespaces/${NS}/deployments/chatbot-primary`,
    ]);
  } finally {
    process.stdout.write = write;
  }
});
