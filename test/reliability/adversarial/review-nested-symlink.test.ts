// Review of issue 12: a build context outside the workspace, one level down. The action
// resolves the handler folder, the template folder and configuration.copy entries (symlinks
// followed), but not what is *inside* the handler folder. For a template language the action
// runs `faas-cli build --shrinkwrap`, whose builder.CopyFiles (faas-cli builder/copy.go)
// follows symlinks with os.Stat and copies what they point at into build/<fn>/function —
// the context the image is built from. A pull request that commits `chatbot/loot ->
// $RUNNER_TEMP` (or the runner's home) ships the kubeconfig into the image pushed to the
// registry. The promise (README Guarantees): "a build context ... outside the workspace
// (symlinks followed) is refused before any build".
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestCluster, type TestCluster } from '@greenlight/test-kit/cluster';
import { runAction } from '@greenlight/test-kit/processes/run-action';
import { existingFunction } from '@greenlight/test-kit/flagger/steps';
import { recordingTools } from '@greenlight/test-kit/stand-ins/tools/recording';

let cluster: TestCluster;
afterEach(() => cluster?.close());

test('a symlink inside a template function’s handler folder that leaves the workspace is refused before any build, naming the field', async () => {
  cluster = await startTestCluster();
  await existingFunction(cluster.kube, 'chatbot', 'v1');
  const base = await mkdtemp(join(tmpdir(), 'greenlight-review-'));
  const workspace = join(base, 'runner', 'work');
  const outside = join(base, '_temp');
  await mkdir(join(workspace, 'chatbot'), { recursive: true });
  await mkdir(join(workspace, 'template', 'python3-http'), { recursive: true });
  await mkdir(outside);
  await writeFile(join(outside, 'kubeconfig'), 'apiVersion: v1\nclusters: []\n');
  await writeFile(
    join(workspace, 'chatbot', 'handler.py'),
    'def handle(event, context):\n  pass\n',
  );
  await writeFile(
    join(workspace, 'template', 'python3-http', 'Dockerfile'),
    'FROM scratch\nCOPY function/ /home/app/function/\n',
  );
  // The attacker's commit: one symlink inside an otherwise ordinary handler folder.
  await symlink(outside, join(workspace, 'chatbot', 'loot'));
  await writeFile(
    join(workspace, 'stack.yml'),
    'provider: {name: openfaas}\nfunctions:\n  chatbot:\n    image: ghcr.io/acme/chatbot:latest\n    lang: python3-http\n    handler: ./chatbot\n',
  );

  const tools = await recordingTools();
  const run = await runAction({
    inputs: {
      kubeconfig: cluster.api.kubeconfig(),
      builder: 'docker',
      registry: 'ghcr.io/acme',
      'registry-username': 'acme-bot',
      'registry-password': 'hunter2',
      'wait-until': 'applied',
    },
    env: { PATH: `${tools.bin}:${process.env.PATH}`, GITHUB_WORKSPACE: workspace },
    cwd: workspace,
  });
  const builds = (await tools.calls()).filter((c) => /build|push|login/.test(c.args));
  expect({ code: run.code, builds: builds.map((c) => c.args) }).toEqual({ code: 1, builds: [] });
  expect(run.errors.join('\n')).toMatch(/functions\.chatbot\.handler/);
}, 60_000);
