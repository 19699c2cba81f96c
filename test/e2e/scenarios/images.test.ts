// Images built for real: the action (`node action/dist/index.js`, as a runner runs it) with
// `builder: buildah` builds the example chatbot and the gate's image from a checkout of
// HEAD, on base images made here from busybox-static and the repository's Node 24, and
// pushes them to a registry on loopback; what the registry holds, what the action reported
// and what the Deployments in the real kube-apiserver run must be one digest.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import {
  startControlPlane,
  FUNCTIONS_NAMESPACE,
  type ControlPlane,
} from '../harness/control-plane.ts';
import { chatbotDeployment } from '../harness/chatbot.ts';
import { readImageTools, type ImageTools } from '../harness/env.ts';
import { freePort } from '../harness/ports.ts';
import { ManagedProcess } from '../harness/process.ts';
import { GATE_NAMESPACE, GATE_RELEASE } from '../harness/gate.ts';
import { startRegistry, type Registry } from '../harness/registry.ts';
import { containers as containerTools, type Containers } from '../harness/containers.ts';
import { pushBaseImages, type BaseImages } from '../harness/base-images.ts';
import { killOnExit, cleanUpOnExit } from '../harness/reaper.ts';
import { runAction, type ActionRun } from '@greenlight/test-kit/processes/run-action';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** A merge's commit: the revision the action ships (GITHUB_SHA). */
const commit = (n: number) => String(n).repeat(40);

let tools: ImageTools;
let plane: ControlPlane;
let registry: Registry;
let images: Containers;
let bases: BaseImages;
let workspace: string;
let kubeconfig: string;
let forgetStorage: () => void;
const timings: string[] = [];

beforeAll(async () => {
  tools = readImageTools();
  plane = await startControlPlane({ meshProvider: 'linkerd' });
  try {
    registry = await startRegistry(tools.registry, plane.dir);
    killOnExit(registry.process);
    images = containerTools(tools, plane.dir, registry.host);
    forgetStorage = cleanUpOnExit(removeBulk);
    const started = Date.now();
    bases = await pushBaseImages(images, tools.busybox, registry.host, plane.dir);
    timings.push(`base images (busybox, node) built and pushed: ${seconds(started)}`);
    // What actions/checkout gives a runner: the committed tree, not this working copy.
    workspace = join(plane.dir, 'workspace');
    mkdirSync(workspace);
    execFileSync('sh', ['-c', 'git archive --format=tar HEAD | tar -x -C "$1"', 'sh', workspace], {
      cwd: ROOT,
    });
    kubeconfig = readFileSync(plane.apiserver.adminKubeconfig, 'utf8');
    // What `faas-cli deploy` leaves before Greenlight's first run.
    const existing = chatbotDeployment({ name: 'chatbot', revision: 'none' });
    existing.spec!.template.metadata!.annotations = {};
    existing.spec!.template.spec!.containers[0]!.image = `${registry.host}/chatbot:latest`;
    await plane.kube.apply(existing as KubernetesObject);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n\n${report()}`, { cause: error });
  }
}, 600_000);

afterAll(async () => {
  if (timings.length > 0)
    console.log(`image builds (action run, buildah, vfs):\n  ${timings.join('\n  ')}`);
  await registry?.process.stop();
  removeBulk();
  forgetStorage?.();
  await plane?.stop();
});

/** What the logs do not need: buildah's storage, the registry's blobs, the checkout. */
function removeBulk(): void {
  images?.remove();
  if (!plane) return;
  for (const bulk of ['registry-data', 'node-rootfs', 'workspace'])
    rmSync(join(plane.dir, bulk), { recursive: true, force: true });
}

function report(): string {
  const tail = registry
    ? `--- registry ${registry.process.logFile}\n${registry.process.tail(20)}`
    : '';
  return `${plane?.report() ?? ''}\n${tail}\nbuildah and skopeo: ${plane?.dir}/buildah.log`;
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/** The action with builder buildah, its image builds configured as harness/containers.ts says. */
async function ship(
  what: string,
  stackFile: string,
  namespace: string,
  revision: string,
): Promise<ActionRun> {
  const started = Date.now();
  const run = await runAction({
    inputs: {
      command: 'deploy',
      'stack-file': stackFile,
      builder: 'buildah',
      registry: registry.host,
      kubeconfig,
      namespace,
      approval: 'false',
      interval: '10s',
      'step-weight': '50',
      'max-weight': '50',
      'wait-until': 'applied',
    },
    env: {
      ...images.env,
      // The stacks' build_args read it: the base image pushed to this registry.
      NODE_IMAGE: bases.node,
      GITHUB_SHA: revision,
      GITHUB_WORKSPACE: workspace,
    },
    cwd: workspace,
    // The action as committed, from the same checkout (`uses: ./action` after checkout).
    entry: join(workspace, 'action', 'dist', 'index.js'),
  });
  timings.push(`${what}: ${seconds(started)}`);
  if (run.code !== 0)
    throw new Error(`the action failed (exit ${run.code}):\n${run.stdout}\n\n${report()}`);
  return run;
}

function reported(run: ActionRun, name: string): string {
  const reference = (JSON.parse(run.outputs.images ?? '{}') as Record<string, string>)[name];
  if (!reference)
    throw new Error(`the action reported no image for ${name}: ${run.outputs.images}`);
  return reference;
}

async function imageOf(namespace: string, name: string): Promise<string | undefined> {
  const deployment = await plane.kube.get<V1Deployment>({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace,
    name,
  });
  return deployment?.spec?.template.spec?.containers[0]?.image;
}

async function eventually<T>(
  what: string,
  read: () => Promise<T>,
  ok: (value: T) => boolean,
): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`${what}: still ${JSON.stringify(value)} after 120 s\n\n${report()}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

test('the action builds the example chatbot with buildah, pushes it, and the Deployments run the digest the registry holds', async () => {
  const run = await ship(
    'chatbot, cold',
    'examples/chatbot/stack.yml',
    FUNCTIONS_NAMESPACE,
    commit(1),
  );
  const digest = await images.digest(`${registry.host}/chatbot:${commit(1)}`);
  expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(reported(run, 'chatbot')).toBe(`${registry.host}/chatbot@${digest}`);
  expect(await imageOf(FUNCTIONS_NAMESPACE, 'chatbot')).toBe(`${registry.host}/chatbot@${digest}`);
  // Flagger's initialization copies the target's pod template to the primary, which serves.
  await eventually(
    'the image of chatbot-primary',
    () => imageOf(FUNCTIONS_NAMESPACE, 'chatbot-primary'),
    (image) => image === `${registry.host}/chatbot@${digest}`,
  );
});

test('the gate image from gate/Containerfile (context: the repository root) is built and pushed, and the chart Deployment runs its digest', async () => {
  const run = await ship('gate, cold', 'gate/stack.yml', GATE_NAMESPACE, commit(2));
  const digest = await images.digest(`${registry.host}/greenlight-gate:${commit(2)}`);
  expect(reported(run, 'greenlight-gate')).toBe(`${registry.host}/greenlight-gate@${digest}`);
  expect(await imageOf(GATE_NAMESPACE, GATE_RELEASE)).toBe(
    `${registry.host}/greenlight-gate@${digest}`,
  );
});

test('a second merge with unchanged sources builds from the layer cache: same digests under the new revision', async () => {
  const first = {
    chatbot: await images.digest(`${registry.host}/chatbot:${commit(1)}`),
    gate: await images.digest(`${registry.host}/greenlight-gate:${commit(2)}`),
  };
  const chatbot = await ship(
    'chatbot, warm',
    'examples/chatbot/stack.yml',
    FUNCTIONS_NAMESPACE,
    commit(3),
  );
  const gate = await ship('gate, warm', 'gate/stack.yml', GATE_NAMESPACE, commit(4));
  expect(await images.digest(`${registry.host}/chatbot:${commit(3)}`)).toBe(first.chatbot);
  expect(await images.digest(`${registry.host}/greenlight-gate:${commit(4)}`)).toBe(first.gate);
  expect(reported(chatbot, 'chatbot')).toBe(`${registry.host}/chatbot@${first.chatbot}`);
  expect(reported(gate, 'greenlight-gate')).toBe(`${registry.host}/greenlight-gate@${first.gate}`);
});

test("the gate image, pulled from the registry by digest, runs as the chart's ServiceAccount and serves /readyz", async () => {
  const digest = await images.digest(`${registry.host}/greenlight-gate:${commit(2)}`);
  const container = (
    await images.buildah([
      'from',
      '--pull=always',
      '--quiet',
      `${registry.host}/greenlight-gate@${digest}`,
    ])
  ).trim();
  // The chart's ServiceAccount token, readable by the image's user (uid 1000), as the kubelet
  // mounts it; chroot isolation shares this machine's network, so 127.0.0.1 is the API server.
  const secrets = join(plane.dir, 'gate-image');
  mkdirSync(secrets);
  copyFileSync(plane.gateIdentity.kubeconfig, join(secrets, 'kubeconfig'));
  // A projected service-account volume's files are 0644 by default.
  chmodSync(join(secrets, 'kubeconfig'), 0o644);
  const port = await freePort();
  const gate = new ManagedProcess({
    name: 'gate-image',
    command: tools.buildah,
    args: [
      'run',
      '--isolation',
      'chroot',
      '--volume',
      `${secrets}:/var/run/greenlight:ro`,
      container,
      '--',
      'node',
      'gate/bin/greenlight-gate.js',
      '--kubeconfig=/var/run/greenlight/kubeconfig',
      `--namespace=${FUNCTIONS_NAMESPACE}`,
      '--host=127.0.0.1',
      `--port=${port}`,
    ],
    dir: plane.dir,
    env: { ...process.env, ...images.env },
  });
  killOnExit(gate);
  try {
    await gate.waitUntil(
      'ready (caches synced)',
      async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok,
    );
  } finally {
    await gate.stop();
    await images.buildah(['rm', container]);
  }
});
