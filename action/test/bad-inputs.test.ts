// Every input a user can get wrong: the step fails naming the input, before anything is
// built, pushed or written to the cluster or to GitHub.
import { startTestCluster, type TestCluster } from '../../test/support/cluster.ts';
import { runAction } from './support/run-action.ts';
import { startGitHubStandIn, type GitHubStandIn } from './support/github-stand-in.ts';
import { fakeTools, type FakeTools } from './support/fake-tools.ts';
import { existingFunction } from './support/flagger.ts';

let cluster: TestCluster;
let github: GitHubStandIn;
let tools: FakeTools;

beforeAll(async () => {
  cluster = await startTestCluster();
  github = await startGitHubStandIn();
  tools = await fakeTools();
  await existingFunction(cluster.kube, 'chatbot', 'v1');
});
afterAll(async () => {
  await github.close();
  await cluster.close();
});

const UNREACHABLE = `apiVersion: v1
kind: Config
clusters: [{ name: gone, cluster: { server: 'http://127.0.0.1:1' } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: c, context: { cluster: gone, user: u } }]
current-context: c
`;
const NO_CONTEXT = `apiVersion: v1
kind: Config
clusters: [{ name: gone, cluster: { server: 'http://127.0.0.1:1' } }]
current-context: missing
`;

// [what is wrong, inputs, the input the error must name]
const CASES: [string, Record<string, string>, string][] = [
  ['an unknown command', { command: 'ship' }, 'command'],
  ['a missing stack file', { 'stack-file': 'missing.yml' }, 'stack-file'],
  ['a function not in the stack', { functions: 'chatbot,nope' }, 'functions'],
  ['a function pattern with spaces', { functions: 'Chat Bot' }, 'functions'],
  ['a step weight of 0', { 'step-weight': '0' }, 'step-weight'],
  ['a step weight above 100', { 'step-weight': '101' }, 'step-weight'],
  ['a step weight that is no number', { 'step-weight': 'ten' }, 'step-weight'],
  ['max weight below the step weight', { 'step-weight': '20', 'max-weight': '10' }, 'max-weight'],
  ['falling step weights', { 'step-weights': '50,10' }, 'step-weights'],
  [
    'step weights with a step weight',
    { 'step-weights': '5,10', 'step-weight': '5' },
    'step-weights',
  ],
  ['iterations for a canary', { iterations: '5' }, 'iterations'],
  ['an unknown strategy', { strategy: 'rolling' }, 'strategy'],
  ['an unknown provider', { provider: 'istio' }, 'provider'],
  ['an interval under 10s', { interval: '5s' }, 'interval'],
  ['an interval in hours', { interval: '1h' }, 'interval'],
  ['a timeout that is no duration', { timeout: 'forever' }, 'timeout'],
  ['a timeout of 0', { timeout: '0' }, 'timeout'],
  ['a success rate above 100', { 'min-success-rate': '120' }, 'min-success-rate'],
  ['a negative latency', { 'max-latency-ms': '-1' }, 'max-latency-ms'],
  ['a threshold of 0', { threshold: '0' }, 'threshold'],
  ['approval that is no boolean', { approval: 'yes' }, 'approval'],
  ['a gate URL without approval', { 'gate-url': 'http://gate:8080' }, 'gate-url'],
  ['waiting for an approval that is off', { 'wait-until': 'awaiting-approval' }, 'wait-until'],
  ['an unknown wait-until', { 'wait-until': 'forever' }, 'wait-until'],
  ['an unknown builder', { builder: 'kaniko' }, 'builder'],
  ['an unknown target', { target: 'lambda' }, 'target'],
  ['target openfaas without a gateway', { target: 'openfaas' }, 'openfaas-url'],
  ['a kubeconfig that is a path', { kubeconfig: '/home/runner/.kube/config' }, 'kubeconfig'],
  ['a kubeconfig without a usable context', { kubeconfig: NO_CONTEXT }, 'kubeconfig'],
  ['an unreachable cluster', { kubeconfig: UNREACHABLE }, 'kubeconfig'],
  ['a registry with a scheme', { registry: 'https://ghcr.io/acme' }, 'registry'],
  ['a tag with a space', { tags: 'latest,release 1' }, 'tags'],
  ['a platform without os', { platforms: 'amd64' }, 'platforms'],
  [
    'a registry user without password',
    { registry: 'ghcr.io/acme', 'registry-username': 'bot' },
    'registry-password',
  ],
  ['a portal URL without scheme', { 'portal-url': 'backstage.example.com' }, 'portal-url'],
  ['a Prometheus URL that is not http', { 'prometheus-url': 'ftp://prometheus' }, 'prometheus-url'],
  ['a revision with a space', { revision: 'a b' }, 'revision'],
  ['changed-only that is no boolean', { 'changed-only': 'maybe' }, 'changed-only'],
  ['a namespace with capitals', { namespace: 'OpenFaaS' }, 'namespace'],
  ['an environment with spaces', { environment: 'prod env' }, 'environment'],
  [
    'a template language without faas-cli',
    { 'stack-file': 'template/stack.yml', builder: 'docker' },
    'stack-file',
  ],
  [
    'promoting a revision that is not under analysis',
    { command: 'promote', revision: 'v9' },
    'revision',
  ],
  [
    'promoting a function that has no Canary',
    { command: 'promote', functions: 'nope' },
    'functions',
  ],
];

// A Canary for the promote cases; the runs below must leave the API as this leaves it.
beforeAll(async () => {
  await runAction({
    inputs: {
      builder: 'none',
      kubeconfig: cluster.api.kubeconfig(),
      'wait-until': 'applied',
      functions: 'chatbot',
      revision: 'v2',
    },
  });
});

const CHUNK = 11;
const chunks = Array.from({ length: Math.ceil(CASES.length / CHUNK) }, (_, i) =>
  CASES.slice(i * CHUNK, (i + 1) * CHUNK),
);

describe.each(chunks.map((chunk, i) => [i + 1, chunk] as const))(
  'bad inputs, part %i',
  (_part, chunk) => {
    test(`${chunk.map(([what]) => what).join('; ')}: each fails naming the input, nothing built or written`, async () => {
      const writesBefore = cluster.api.writes().length;
      const githubBefore = github.requests.length;
      const callsBefore = (await tools.calls()).length;
      const runs = await inBatches(chunk, 4, ([, inputs]) =>
        runAction({
          inputs: {
            builder: 'docker',
            kubeconfig: cluster.api.kubeconfig(),
            'github-token': 'ghs_test',
            ...inputs,
          },
          env: { GITHUB_API_URL: github.url, PATH: `${tools.bin}:${process.env.PATH}` },
        }),
      );
      const problems = chunk.flatMap(([what, , input], i) => {
        const run = runs[i]!;
        const message = run.errors.join('\n');
        if (run.code === 0) return [`${what}: exited 0`];
        if (!message.startsWith(`${input}: `)) {
          return [
            `${what}: expected an error naming ${input}, got ${JSON.stringify(message || run.stdout.slice(-400))}`,
          ];
        }
        return [];
      });
      expect(problems).toEqual([]);
      expect(cluster.api.writes().length).toBe(writesBefore);
      expect(github.requests.length).toBe(githubBefore);
      expect(
        (await tools.calls()).slice(callsBefore).filter((call) => call.includes('buildx')),
      ).toEqual([]);
    }, 60_000);
  },
);

async function inBatches<T, R>(
  items: readonly T[],
  size: number,
  run: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size)
    results.push(...(await Promise.all(items.slice(i, i + size).map(run))));
  return results;
}

test('errors never print a secret: the kubeconfig input is masked before it is checked', async () => {
  const run = await runAction({ inputs: { kubeconfig: UNREACHABLE, builder: 'none' } });
  expect(run.stdout).toContain('::add-mask::');
  expect(run.errors.join('\n')).not.toContain('token: t');
});

test('a kubeconfig input is written 0600 to the runner temp folder and removed at the end', async () => {
  const { readdir } = await import('node:fs/promises');
  const run = await runAction({
    inputs: { builder: 'none', kubeconfig: cluster.api.kubeconfig(), command: 'status' },
  });
  expect(run.code).toBe(0);
  expect(await readdir(run.runnerTemp)).toEqual([]);
});
