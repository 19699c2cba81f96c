// A build runs code the repository controls — a Dockerfile, a faas-cli template, a git hook
// or alias — and a tool started by the action could read whatever is in its environment:
// the action's inputs (INPUT_REGISTRY-PASSWORD, INPUT_KUBECONFIG, INPUT_GITHUB-TOKEN), the
// runner's OIDC and runtime tokens, a GITHUB_TOKEN the workflow exported. docker, buildah,
// faas-cli and git stand-ins record the environment of every call of a real deploy (login,
// shrinkwrap, changed-only's git diff, build, push): none holds an input, an OIDC token, a
// GitHub token, KUBECONFIG or the password; the runtime token reaches only the one
// `docker buildx build` whose GitHub cache needs it.
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestCluster, type TestCluster } from '@greenlight/test-kit/cluster';
import { FIXTURES, runAction } from '@greenlight/test-kit/processes/run-action';
import { existingFunction } from '@greenlight/test-kit/flagger/steps';
import { startGitHubStandIn, type GitHubStandIn } from '@greenlight/test-kit/stand-ins/github';
import { recordingTools, type ToolCall } from '@greenlight/test-kit/stand-ins/tools/recording';

const PASSWORD = 'hunter2-registry-password';
const GITHUB_INPUT = 'ghs_inputtoken0123456789';
const RUNNER_ENV = {
  ACTIONS_RUNTIME_TOKEN: 'runtime-token-0123456789',
  ACTIONS_CACHE_URL: 'https://artifactcache.actions.example/',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token-0123456789',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.actions.example/oidc',
  GITHUB_TOKEN: 'ghs_exportedtoken0123456789',
  KUBECONFIG: '/home/runner/.kube/prod-admin',
  // The workflow also exports the password under a name of its own.
  REGISTRY_PASSWORD: PASSWORD,
};

let cluster: TestCluster;
let github: GitHubStandIn;
let repo: string;

beforeAll(async () => {
  cluster = await startTestCluster();
  github = await startGitHubStandIn();
  await existingFunction(cluster.kube, 'chatbot', 'v1');
  await existingFunction(cluster.kube, 'faq', 'v1');
  repo = await mkdtemp(join(tmpdir(), 'greenlight-checkout-'));
  await cp(join(FIXTURES, 'chatbot'), join(repo, 'chatbot'), { recursive: true });
  await cp(join(FIXTURES, 'chatbot'), join(repo, 'faq'), { recursive: true });
  // chatbot builds from its Dockerfile; faq from a template, shrinkwrapped by faas-cli.
  await writeFile(
    join(repo, 'stack.yml'),
    'provider: {name: openfaas}\nfunctions:\n  chatbot: {lang: dockerfile, handler: ./chatbot, image: ghcr.io/acme/chatbot:latest}\n  faq: {lang: node20, handler: ./faq, image: ghcr.io/acme/faq:latest}\n',
  );
  execFileSync(
    'sh',
    [
      '-c',
      'git init -q -b main && git add . && git -c user.name=a -c user.email=a@example.com commit -qm base',
    ],
    { cwd: repo },
  );
});
afterAll(async () => {
  await github.close();
  await cluster.close();
});

async function deploy(builder: 'docker' | 'buildah'): Promise<ToolCall[]> {
  const tools = await recordingTools();
  const kubeconfig = cluster.api.kubeconfig();
  const run = await runAction({
    inputs: {
      kubeconfig,
      builder,
      registry: 'ghcr.io/acme',
      'registry-username': 'acme-bot',
      'registry-password': PASSWORD,
      'github-token': GITHUB_INPUT,
      'changed-only': 'true',
      'wait-until': 'applied',
    },
    env: {
      ...RUNNER_ENV,
      PATH: `${tools.bin}:${process.env.PATH}`,
      GITHUB_API_URL: github.url,
      GITHUB_WORKSPACE: repo,
    },
    cwd: repo,
  });
  expect(run.errors).toEqual([]);
  expect(run.code).toBe(0);
  return tools.calls();
}

/** Everything in a call's environment that the build must not see. */
function leaks(call: ToolCall): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(call.env)) {
    if (/^INPUT_/i.test(name)) found.push(name);
    else if (
      [
        'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
        'ACTIONS_ID_TOKEN_REQUEST_URL',
        'GITHUB_TOKEN',
        'KUBECONFIG',
        'REGISTRY_PASSWORD',
      ].includes(name)
    )
      found.push(name);
    else if (name === 'ACTIONS_RUNTIME_TOKEN' && !/^docker buildx build /.test(call.args))
      found.push(name);
    else if (
      [
        PASSWORD,
        GITHUB_INPUT,
        RUNNER_ENV.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
        RUNNER_ENV.GITHUB_TOKEN,
      ].some((s) => value.includes(s))
    )
      found.push(`${name} (a secret's value)`);
    else if (value.includes('clusters:')) found.push(`${name} (the kubeconfig)`);
  }
  return found.map((what) => `${call.args.split(' ').slice(0, 3).join(' ')}: ${what}`);
}

test('docker, faas-cli and git see no input, token, kubeconfig or password', async () => {
  const calls = await deploy('docker');
  const seen = calls.map((c) => c.args.split(' ').slice(0, 3).join(' '));
  for (const expected of [
    'docker login ghcr.io',
    'faas-cli build --shrinkwrap',
    'git diff --quiet',
    'docker buildx build',
  ])
    expect(seen).toContain(expected);
  expect(calls.flatMap(leaks)).toEqual([]);
  // What the GitHub cache needs is still given to the build that uses it.
  const builds = calls.filter((c) => c.args.startsWith('docker buildx build'));
  for (const build of builds) {
    expect(build.env.ACTIONS_RUNTIME_TOKEN).toBe(RUNNER_ENV.ACTIONS_RUNTIME_TOKEN);
    expect(build.args).toContain('--cache-to type=gha');
  }
});

test('buildah sees no input, token, kubeconfig or password', async () => {
  const calls = await deploy('buildah');
  const seen = calls.map((c) => c.args.split(' ').slice(0, 4).join(' '));
  for (const expected of [
    'buildah --storage-driver vfs login',
    'buildah --storage-driver vfs build',
    'buildah --storage-driver vfs push',
  ])
    expect(seen).toContain(expected);
  expect(calls.flatMap(leaks)).toEqual([]);
  expect(calls.filter((c) => 'ACTIONS_RUNTIME_TOKEN' in c.env)).toEqual([]);
});
