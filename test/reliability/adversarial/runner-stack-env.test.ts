// A pull request adds `${ACTIONS_RUNTIME_TOKEN}` (or an input, or GITHUB_TOKEN) to a value in
// stack.yml. faas-cli's envsubst reads the whole environment, and so did the action: the
// runner's token landed on the pod template, readable by anyone who may get Deployments.
// The deploy fails naming the file, line and field, and nothing reaches the cluster.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Deployment } from '@kubernetes/client-node';
import { startTestCluster, type TestCluster } from '@greenlight/test-kit/cluster';
import { runAction } from '@greenlight/test-kit/processes/run-action';
import { existingFunction, NS } from '@greenlight/test-kit/flagger/steps';

const SECRETS = {
  ACTIONS_RUNTIME_TOKEN: 'runtime-token-0123456789',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token-0123456789',
  GITHUB_TOKEN: 'ghs_exportedtoken0123456789',
};

let cluster: TestCluster;
beforeEach(async () => {
  cluster = await startTestCluster();
  await existingFunction(cluster.kube, 'chatbot', 'v1');
});
afterEach(() => cluster.close());

test.each([
  [
    'annotations: {x: "${ACTIONS_RUNTIME_TOKEN}"}',
    'functions.chatbot.annotations.x',
    'ACTIONS_RUNTIME_TOKEN',
  ],
  [
    'labels: {team: "${ACTIONS_ID_TOKEN_REQUEST_TOKEN:-none}"}',
    'functions.chatbot.labels.team',
    'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  ],
  [
    'environment: {TOKEN: "${GITHUB_TOKEN}"}',
    'functions.chatbot.environment.TOKEN',
    'GITHUB_TOKEN',
  ],
  [
    'environment: {KUBE: "${INPUT_KUBECONFIG}"}',
    'functions.chatbot.environment.KUBE',
    'INPUT_KUBECONFIG',
  ],
])('%s is refused naming line 6 and %s; nothing is applied', async (line, field, name) => {
  const workspace = await mkdtemp(join(tmpdir(), 'greenlight-checkout-'));
  await writeFile(
    join(workspace, 'stack.yml'),
    `provider: {name: openfaas}\nfunctions:\n  chatbot:\n    lang: dockerfile\n    handler: ./chatbot\n    ${line}\n    image: ghcr.io/acme/chatbot:latest\n`,
  );
  const writesBefore = cluster.api.writes().length;
  const run = await runAction({
    inputs: {
      kubeconfig: cluster.api.kubeconfig(),
      builder: 'none',
      revision: 'v2',
      'wait-until': 'applied',
    },
    env: { ...SECRETS, GITHUB_WORKSPACE: workspace },
    cwd: workspace,
  });
  expect(run.code).toBe(1);
  expect(run.errors.join('\n')).toMatch(
    new RegExp(
      `^stack\\.yml:6 ${field.replaceAll('.', '\\.')}: \\$\\{${name}\\} is not read from the environment`,
    ),
  );
  expect(cluster.api.writes().slice(writesBefore)).toEqual([]);
  const target = await cluster.kube.get<V1Deployment>({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: NS,
    name: 'chatbot',
  });
  expect(JSON.stringify(target)).not.toMatch(/runtime-token|oidc-request|ghs_|clusters:/);
  expect(run.stdout).not.toMatch(/runtime-token|oidc-request|ghs_exported/);
});
