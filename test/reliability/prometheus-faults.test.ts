// Prometheus down, slow, empty, answering NaN or +Inf, an error, an HTML 503 or half a body:
// core's PrometheusMetrics says metrics are unavailable (or has no data) and nothing else,
// the action's follow goes on to the right verdict, and its lines simply omit the metrics.
import { KubeConfig } from '@kubernetes/client-node';
import { MetricsUnavailableError, PrometheusMetrics, type GoldenMetrics } from '@greenlight/core';
import { follow } from '../../action/src/follow/follow.ts';
import {
  deployChatbot,
  eventually,
  startTestCluster,
  type TestCluster,
} from '@greenlight/test-kit/cluster';
import { flaggerWrites } from '@greenlight/test-kit/flagger';
import { startPrometheus, type PrometheusMode } from '@greenlight/test-kit/stand-ins/prometheus';
import { deployRevision } from '@greenlight/test-kit/flagger/rollout-script';

const REF = { namespace: 'openfaas-fn', name: 'chatbot' };
const FAULTS: (PrometheusMode | 'down')[] = [
  'down',
  'slow',
  'empty',
  'nan',
  'inf',
  'error',
  'html-503',
  'truncated',
];
/** No number a person should read, whatever the metrics said. */
const NONSENSE = /NaN|Infinity|undefined|null/;

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster();
});
afterAll(() => cluster.close());

async function prometheusFor(mode: PrometheusMode | 'down') {
  if (mode === 'down') return { url: 'http://127.0.0.1:9', close: async () => undefined };
  return startPrometheus(mode, { namespace: 'openfaas-fn' });
}

test.each(FAULTS)(
  'Prometheus %s: the golden metrics are unavailable or empty, never nonsense',
  async (mode) => {
    const prometheus = await prometheusFor(mode);
    try {
      const metrics = new PrometheusMetrics({ url: prometheus.url, timeoutMs: 300 });
      const answer: GoldenMetrics | Error = await metrics
        .golden(REF, '1m')
        .catch((error: unknown) => error as Error);
      if (answer instanceof Error) {
        expect(answer).toBeInstanceOf(MetricsUnavailableError);
        expect(answer.message).toMatch(
          /^Prometheus at http:\/\/127\.0\.0\.1:\d+ .+; golden metrics are unavailable\.$/,
        );
      } else {
        expect(answer.green).toEqual({
          successRate: null,
          rps: null,
          p50Ms: null,
          p95Ms: null,
          p99Ms: null,
        });
      }
    } finally {
      await prometheus.close();
    }
  },
);

/** A rollout from rev-0 to rev-1 that succeeds, followed by the action with `metrics`. */
async function followedRollout(namespace: string, metrics: PrometheusMetrics) {
  const flagger = flaggerWrites(cluster.api.url, cluster.kube, { namespace });
  await deployChatbot(cluster.kube, { namespace, name: 'chatbot', revision: 'rev-0' });
  await flagger.primary('chatbot', 'rev-0');
  await flagger.status('chatbot', 'Initialized');
  await deployRevision(cluster.kube, namespace, 'chatbot', 'rev-1');
  const kc = new KubeConfig();
  kc.loadFromString(cluster.api.kubeconfig());
  const lines: string[] = [];
  const started = Date.now();
  const following = follow({
    kc,
    namespace,
    canaries: [{ name: 'chatbot', revision: 'rev-1' }],
    until: 'done',
    deadline: Date.now() + 10_000,
    metrics,
    log: (line) => lines.push(line),
  });
  // The follow's watch of the Canary is open: it sees every step.
  await eventually(
    () =>
      cluster.api.requestLog.filter((e) => e.watch && e.path.includes(`/${namespace}/`)).length >=
      1,
  );
  for (const weight of [10, 20, 30, 40, 50]) {
    await flagger.analyse('chatbot', [weight]);
    await new Promise((resolve) => setTimeout(resolve, 60));
  }
  await flagger.promote('chatbot', 'rev-1');
  const [result] = await following;
  return { result, lines, ms: Date.now() - started };
}

describe("the action's follow", () => {
  // @actions/core writes its ::group:: commands straight to stdout.
  const write = process.stdout.write.bind(process.stdout);
  beforeAll(() => {
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
      String(chunk).startsWith('::') ? true : write(chunk, ...rest)) as typeof process.stdout.write;
  });
  afterAll(() => {
    process.stdout.write = write;
  });

  test('shows success rate and p99 when Prometheus answers (the control)', async () => {
    const prometheus = await startPrometheus('healthy', { namespace: 'metrics-healthy' });
    try {
      const { result, lines } = await followedRollout(
        'metrics-healthy',
        new PrometheusMetrics({ url: prometheus.url }),
      );
      expect(result?.outcome).toBe('succeeded');
      expect(lines.some((line) => /success 99% · p99 120ms/.test(line))).toBe(true);
    } finally {
      await prometheus.close();
    }
  });

  test.each(FAULTS)(
    'with Prometheus %s reaches the verdict on time and omits the metrics',
    async (mode) => {
      const prometheus = await prometheusFor(mode);
      try {
        const metrics = new PrometheusMetrics({ url: prometheus.url, timeoutMs: 500 });
        const { result, lines, ms } = await followedRollout(`metrics-${mode}`, metrics);
        expect(result?.outcome).toBe('succeeded');
        expect(
          lines.filter((line) => /success|p99|NaN|Infinity|undefined|null/.test(line)),
        ).toEqual([]);
        expect(lines.join('\n')).not.toMatch(NONSENSE);
        // A slow Prometheus does not hold the follow up.
        expect(ms).toBeLessThan(5000);
      } finally {
        await prometheus.close();
      }
    },
  );
});
