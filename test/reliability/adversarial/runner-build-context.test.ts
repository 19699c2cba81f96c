// A pull request changes stack.yml so a function's build context is a folder outside the
// checkout — `handler: ../../outside`, or a committed symlink — hoping the build sends the
// runner's temp folder (where the kubeconfig lives) or its home into an image. The deploy
// fails naming the stack.yml field and function before any build, login or push, and
// writes nothing to the cluster.
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestCluster, type TestCluster } from '@greenlight/test-kit/cluster';
import { runAction } from '@greenlight/test-kit/processes/run-action';
import { existingFunction } from '@greenlight/test-kit/flagger/steps';
import { recordingTools } from '@greenlight/test-kit/stand-ins/tools/recording';

let cluster: TestCluster;
let workspace: string;
let outside: string;

beforeEach(async () => {
  cluster = await startTestCluster();
  await existingFunction(cluster.kube, 'chatbot', 'v1');
  // <base>/runner/work is the checkout, <base>/outside what the attacker wants built.
  const base = await mkdtemp(join(tmpdir(), 'greenlight-runner-'));
  workspace = join(base, 'runner', 'work');
  outside = join(base, 'outside');
  await mkdir(workspace, { recursive: true });
  await mkdir(outside);
  await writeFile(join(outside, 'Dockerfile'), 'FROM scratch\nCOPY . /loot\n');
  await writeFile(join(outside, 'kubeconfig'), 'apiVersion: v1\nclusters: []\n');
});
afterEach(() => cluster.close());

const stack = (fn: string) =>
  `provider: {name: openfaas}\nfunctions:\n  chatbot:\n    image: ghcr.io/acme/chatbot:latest\n${fn}`;

async function deploy(builder: 'docker' | 'buildah') {
  const tools = await recordingTools();
  const writesBefore = cluster.api.writes().length;
  const run = await runAction({
    inputs: {
      kubeconfig: cluster.api.kubeconfig(),
      builder,
      registry: 'ghcr.io/acme',
      'registry-username': 'acme-bot',
      'registry-password': 'hunter2',
      'wait-until': 'applied',
    },
    env: { PATH: `${tools.bin}:${process.env.PATH}`, GITHUB_WORKSPACE: workspace },
    cwd: workspace,
  });
  const calls = (await tools.calls()).filter((c) => /build|push|login/.test(c.args));
  return { run, calls, writes: cluster.api.writes().slice(writesBefore) };
}

test.each(['docker', 'buildah'] as const)(
  'handler: ../../outside is refused before any %s build, naming the field',
  async (builder) => {
    await writeFile(
      join(workspace, 'stack.yml'),
      stack('    lang: dockerfile\n    handler: ../../outside\n'),
    );
    const { run, calls, writes } = await deploy(builder);
    expect(run.code).toBe(1);
    expect(run.errors.join('\n')).toMatch(
      /^stack\.yml functions\.chatbot\.handler: "\.\.\/\.\.\/outside" resolves to .*\/outside, outside the workspace .*\/runner\/work; nothing was built\./,
    );
    expect(calls).toEqual([]);
    expect(writes).toEqual([]);
  },
);

test('a handler that is a symlink to a folder outside is refused before any build', async () => {
  await symlink(outside, join(workspace, 'chatbot'));
  await writeFile(
    join(workspace, 'stack.yml'),
    stack('    lang: dockerfile\n    handler: ./chatbot\n'),
  );
  const { run, calls, writes } = await deploy('docker');
  expect(run.code).toBe(1);
  expect(run.errors.join('\n')).toMatch(
    /^stack\.yml functions\.chatbot\.handler: "\.\/chatbot" resolves to .*\/outside, outside the workspace/,
  );
  expect(calls).toEqual([]);
  expect(writes).toEqual([]);
});

test('a dockerfile: symlinked outside the handler folder is refused before any build', async () => {
  await mkdir(join(workspace, 'chatbot'));
  await symlink(join(outside, 'Dockerfile'), join(workspace, 'chatbot', 'Containerfile'));
  await writeFile(
    join(workspace, 'stack.yml'),
    stack('    lang: dockerfile\n    handler: ./chatbot\n    dockerfile: Containerfile\n'),
  );
  const { run, calls, writes } = await deploy('docker');
  expect(run.code).toBe(1);
  expect(run.errors.join('\n')).toMatch(/^stack\.yml functions\.chatbot\.dockerfile: /);
  expect(calls).toEqual([]);
  expect(writes).toEqual([]);
});
