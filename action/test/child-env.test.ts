// What a tool the action starts can read from its environment: the step's environment
// without the action's inputs, the runner's tokens, GitHub tokens, KUBECONFIG or any copy of
// a secret input — through runTool, with a real child process printing what it got.
import { runTool } from '../src/build/tool.ts';

const STEP_ENV = {
  'INPUT_REGISTRY-PASSWORD': 'registry-s3cret',
  INPUT_KUBECONFIG: 'apiVersion: v1\nclusters: []\n',
  'INPUT_GITHUB-TOKEN': 'ghs_input',
  INPUT_COMMAND: 'deploy',
  ACTIONS_RUNTIME_TOKEN: 'runtime-token',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-token',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.example/oidc',
  GITHUB_TOKEN: 'ghs_env',
  GH_TOKEN: 'ghs_env',
  KUBECONFIG: '/runner/temp/kubeconfig',
  // A workflow that also exports the registry password under its own name.
  REGISTRY_PASSWORD: 'registry-s3cret',
  DOCKER_CONFIG: '/home/runner/.docker',
  GITHUB_SHA: 'a1b2c3',
};

let saved: NodeJS.ProcessEnv;
beforeEach(() => {
  saved = { ...process.env };
  Object.assign(process.env, STEP_ENV);
});
afterEach(() => {
  for (const name of Object.keys(STEP_ENV)) delete process.env[name];
  Object.assign(process.env, saved);
});

const PRINT_ENV = ['-e', 'process.stdout.write(JSON.stringify(process.env))'];

async function seen(options: Parameters<typeof runTool>[2]): Promise<Record<string, string>> {
  const out = await runTool(process.execPath, PRINT_ENV, { silent: true, ...options });
  expect(out.exitCode).toBe(0);
  return JSON.parse(out.stdout) as Record<string, string>;
}

test.each([
  ['a tool run through @actions/exec', {}],
  ['a tool given a password on stdin', { input: 'registry-s3cret' }],
])('%s sees no input, token, kubeconfig or copy of a secret', async (_, options) => {
  const env = await seen(options);
  const leaked = Object.keys(env).filter(
    (name) =>
      /^(INPUT_|ACTIONS_)/.test(name) ||
      ['GITHUB_TOKEN', 'GH_TOKEN', 'KUBECONFIG', 'REGISTRY_PASSWORD'].includes(name),
  );
  expect(leaked).toEqual([]);
  expect(JSON.stringify(env)).not.toMatch(/s3cret|ghs_|runtime-token|oidc-token|clusters/);
  // ...and still everything a build needs.
  expect(env).toMatchObject({ DOCKER_CONFIG: '/home/runner/.docker', GITHUB_SHA: 'a1b2c3' });
  expect(env.PATH).toBe(process.env.PATH);
});

test('a call passes its tool exactly the extra variables it needs', async () => {
  const env = await seen({ env: { ACTIONS_RUNTIME_TOKEN: 'runtime-token' } });
  expect(env.ACTIONS_RUNTIME_TOKEN).toBe('runtime-token');
  expect(env.ACTIONS_ID_TOKEN_REQUEST_TOKEN).toBeUndefined();
});
