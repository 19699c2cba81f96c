// Where a `lang: dockerfile` function is built from: its handler folder is the context, and
// `dockerfile:` (Greenlight's key) names the Dockerfile inside it when it is not
// `<handler>/Dockerfile` — how the gate's image is built from the repository root.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestCluster, type TestCluster } from '@greenlight/test-kit/cluster';
import { runAction } from '@greenlight/test-kit/processes/run-action';
import { fakeTools, FAKE_DIGEST } from '@greenlight/test-kit/stand-ins/tools';
import { existingFunction } from '@greenlight/test-kit/flagger/steps';

let cluster: TestCluster;
let workspace: string;

beforeEach(async () => {
  cluster = await startTestCluster();
  await existingFunction(cluster.kube, 'bot', 'v1');
  workspace = await mkdtemp(join(tmpdir(), 'greenlight-monorepo-'));
  await mkdir(join(workspace, 'images', 'bot'), { recursive: true });
  await writeFile(join(workspace, 'images', 'bot', 'Containerfile'), 'FROM scratch\n');
});
afterEach(() => cluster.close());

function stack(dockerfile: string): string {
  return [
    'version: 1.0',
    'provider: { name: openfaas }',
    'functions:',
    '  bot:',
    '    lang: dockerfile',
    '    handler: .',
    `    dockerfile: ${dockerfile}`,
    '    image: ghcr.io/acme/bot:latest',
    '',
  ].join('\n');
}

test('builds from the handler folder with the Dockerfile that dockerfile: names inside it', async () => {
  await writeFile(join(workspace, 'stack.yml'), stack('images/bot/Containerfile'));
  const tools = await fakeTools();
  const run = await runAction({
    inputs: { kubeconfig: cluster.api.kubeconfig(), 'wait-until': 'applied' },
    env: { PATH: `${tools.bin}:${process.env.PATH}`, GITHUB_WORKSPACE: workspace },
    cwd: workspace,
  });
  expect(run.errors).toEqual([]);
  expect(JSON.parse(run.outputs.images as string)).toEqual({
    bot: `ghcr.io/acme/bot@${FAKE_DIGEST}`,
  });
  const [build] = (await tools.calls()).filter((call) => call.includes('buildx build'));
  expect(build).toContain(`--file ${join(workspace, 'images', 'bot', 'Containerfile')}`);
  expect(build?.endsWith(` ${workspace}`)).toBe(true);
});

test('a dockerfile: that does not exist is an error naming the key, before anything is built', async () => {
  await writeFile(join(workspace, 'stack.yml'), stack('images/bot/Dockerfile'));
  const tools = await fakeTools();
  const run = await runAction({
    inputs: { kubeconfig: cluster.api.kubeconfig(), 'wait-until': 'applied' },
    env: { PATH: `${tools.bin}:${process.env.PATH}`, GITHUB_WORKSPACE: workspace },
    cwd: workspace,
  });
  expect(run.code).not.toBe(0);
  expect(run.errors.join('\n')).toContain('Fix functions.bot.dockerfile');
  expect(await tools.calls()).toEqual([]);
});
