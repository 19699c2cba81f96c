// `greenlight status` warns of OpenFaaS CE's limit of 15 function Deployments, on stderr so
// `-o json` stays one JSON object.
import type { KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import { deployChatbot } from '@greenlight/test-kit/cluster';
import { startCliCluster, type CliCluster } from '@greenlight/test-kit/cluster/cli';
import { runCli } from '@greenlight/test-kit/processes/run-cli';

const NS = 'openfaas-fn';
let cluster: CliCluster;

beforeEach(async () => {
  cluster = await startCliCluster();
  await deployChatbot(cluster.kube, { revision: 'v1' });
});
afterEach(() => cluster.close());

/** Labelled as faas-netes labels a function; Flagger's primaries carry the label too. */
async function functionDeployments(names: string[]): Promise<void> {
  for (const name of names) {
    const labels = { faas_function: name };
    const deployment: V1Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: NS, labels },
      spec: {
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: { containers: [{ name, image: 'registry.local/acme/bot:v1' }] },
        },
      },
    };
    await cluster.kube.apply(deployment as KubernetesObject);
  }
}

const bots = (count: number) =>
  Array.from({ length: count }, (_, i) => (i % 2 ? `bot${i - 1}-primary` : `bot${i}`));

test('warns at 12 of 15, counting primaries, and keeps stdout the JSON view', async () => {
  await functionDeployments(['chatbot-primary', ...bots(10)]);
  const { code, out, err } = await runCli(['status', `${NS}/chatbot`, '-o', 'json'], cluster.env);
  expect(code).toBe(0);
  expect(JSON.parse(out)).toMatchObject({ name: 'chatbot' });
  expect(err).toMatch(
    /^greenlight: warning: OpenFaaS CE limit: 12 Deployments with a faas_function label in openfaas-fn of the 15 CE allows, near the limit\./,
  );
});

test('says nothing at 11', async () => {
  await functionDeployments(['chatbot-primary', ...bots(9)]);
  const { code, err } = await runCli(['status', `${NS}/chatbot`], cluster.env);
  expect(code).toBe(0);
  expect(err).toBe('');
});
