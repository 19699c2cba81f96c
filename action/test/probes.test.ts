// The action and the chat probes file (docs/probes.md), through the committed bundle as a
// runner runs it: the file is read and checked before anything is built or applied, a
// probed function's Canary calls greenlight-probe, blue/green without a probe is refused, and
// a rollback a probe caused names the failed turn, request and reply.
import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Canary } from 'flagger-types';
import type { KubernetesObject } from '@kubernetes/client-node';
import { formatProbeFailure, probeFromMetadata } from '@greenlight/core';
import { startTestCluster, type TestCluster } from '@greenlight/test-kit/cluster';
import { FIXTURES, runAction } from '@greenlight/test-kit/processes/run-action';
import { fakeTools } from '@greenlight/test-kit/stand-ins/tools';
import {
  analyse,
  existingFunction,
  NS,
  setStatus,
  waitForRevision,
} from '@greenlight/test-kit/flagger/steps';

const REV = 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0';
const PROBES = [
  'version: 1',
  'functions:',
  '  chatbot:',
  '    conversations:',
  '      - name: greets',
  '        turns:',
  '          - webchat: hello',
  '            expect: { contains: Hello }',
  '',
].join('\n');

let cluster: TestCluster;
let workspace: string;

beforeEach(async () => {
  cluster = await startTestCluster();
  await existingFunction(cluster.kube, 'chatbot', 'v1');
  await existingFunction(cluster.kube, 'faq', 'v1');
  workspace = await mkdtemp(join(tmpdir(), 'greenlight-probes-'));
  for (const path of ['stack.yml', 'chatbot', 'faq'])
    await cp(join(FIXTURES, path), join(workspace, path), { recursive: true });
});
afterEach(() => cluster.close());

function deploy(inputs: Record<string, string>, env: Record<string, string> = {}) {
  return runAction({
    inputs: { kubeconfig: cluster.api.kubeconfig(), builder: 'none', ...inputs },
    env: { GITHUB_WORKSPACE: workspace, ...env },
    cwd: workspace,
  });
}

const canaryOf = (name: string) =>
  cluster.kube.get<Canary>({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    namespace: NS,
    name,
  });

test('a malformed probes file is refused with its line and field before anything is built or applied', async () => {
  await writeFile(
    join(workspace, 'probes.yml'),
    PROBES.replace('contains: Hello', 'contain: Hello'),
  );
  const tools = await fakeTools();
  const writes = cluster.api.writes().length;
  const run = await deploy(
    { builder: 'docker', 'wait-until': 'applied' },
    { PATH: `${tools.bin}:${process.env.PATH}` },
  );
  expect(run.code).not.toBe(0);
  expect(run.errors.join('\n')).toMatch(
    /probes\.yml:8 functions\.chatbot\.conversations\[0\]\.turns\[0\]\.expect/,
  );
  expect(await tools.calls()).toEqual([]);
  expect(cluster.api.writes().length).toBe(writes);
  expect(await canaryOf('chatbot')).toBeUndefined();
});

test('a probes input that names no file is an error, not a deploy without probes', async () => {
  const writes = cluster.api.writes().length;
  const run = await deploy({ probes: 'probe.yml', 'wait-until': 'applied' });
  expect(run.code).not.toBe(0);
  expect(run.errors.join('\n')).toContain('probes: probes file probe.yml does not exist');
  expect(cluster.api.writes().length).toBe(writes);
});

test('blue-green is refused for a function without a probe, naming it and the probes input', async () => {
  await writeFile(join(workspace, 'probes.yml'), PROBES);
  const writes = cluster.api.writes().length;
  const run = await deploy({ strategy: 'blue-green', 'wait-until': 'applied' });
  expect(run.code).not.toBe(0);
  const errors = run.errors.join('\n');
  expect(errors).toContain('strategy: blue-green needs a probe for function "faq"');
  expect(errors).toContain(
    'Give function "faq" conversations in the probes file (input probes, default probes.yml beside the stack file), as docs/probes.md shows, or use strategy: canary.',
  );
  expect(cluster.api.writes().length).toBe(writes);
});

test("probes.yml beside the stack gives the probed function greenlight-probe's webhooks", async () => {
  await writeFile(join(workspace, 'probes.yml'), PROBES);
  const run = await deploy({
    'wait-until': 'applied',
    'probe-url': 'http://probe.greenlight:8080',
    'probe-rounds': '3',
  });
  expect(run.errors).toEqual([]);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('chatbot: probed, 1 conversation (1 turn), 3 rounds per iteration');

  const webhooks = (await canaryOf('chatbot'))?.spec.analysis.webhooks ?? [];
  expect(webhooks.map((w) => [w.name, w.type, w.url, w.timeout])).toEqual([
    [
      'greenlight-probe-pre',
      'pre-rollout',
      'http://probe.greenlight:8080/probe/pre-rollout',
      '15s',
    ],
    ['greenlight-probe', 'rollout', 'http://probe.greenlight:8080/probe/rollout', '25s'],
  ]);
  expect(probeFromMetadata(webhooks[1]?.metadata).rounds).toBe(3);
  expect(probeFromMetadata(webhooks[1]?.metadata).probe.conversations[0]?.name).toBe('greets');
  // A canary without probes keeps no webhooks (approval is off).
  expect((await canaryOf('faq'))?.spec.analysis.webhooks).toBeUndefined();
});

/** An Event on the Canary as Flagger or the prober records it. */
function event(name: string, reason: string, type: string, message: string, component: string) {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `chatbot.${name}`, namespace: NS },
    involvedObject: {
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      name: 'chatbot',
      namespace: NS,
    },
    reason,
    type,
    message,
    source: { component },
    lastTimestamp: new Date(Date.now() + 1000).toISOString(),
    count: 1,
  } as KubernetesObject;
}

// Worded as the prober words it.
const FAILURE = formatProbeFailure({
  conversation: 'greets',
  turn: 1,
  request: 'webchat {"message":"hello"}',
  reply: '200 {"reply":"goodbye"}',
  reason: 'does not contain "Hello"',
});

describe('a rollback a probe caused', () => {
  beforeEach(() => writeFile(join(workspace, 'probes.yml'), PROBES));

  async function rolledBack(events: KubernetesObject[]) {
    const deploying = deploy({ functions: 'chatbot', interval: '10s', timeout: '30s' });
    await waitForRevision(cluster.kube, 'chatbot', REV);
    await analyse(cluster.api, cluster.kube, 'chatbot', [10]);
    for (const e of events) await cluster.kube.apply(e);
    await setStatus(cluster.api, 'chatbot', 'Failed');
    return deploying;
  }

  test("names the failed turn, request and reply from Flagger's Warning, and the summary shows the run", async () => {
    const run = await rolledBack([
      event(
        'prober',
        'ProbeFailed',
        'Warning',
        `pre-rollout probe of revision ${REV} failed: ${FAILURE}`,
        'greenlight-probe',
      ),
      event(
        'flagger',
        'Synced',
        'Warning',
        `Halt chatbot.${NS} advancement pre-rollout check greenlight-probe-pre failed ${FAILURE}`,
        'flagger',
      ),
    ]);
    expect(run.outputs.result).toBe('failed');
    const [canary] = JSON.parse(run.outputs.canaries as string) as {
      reason: string;
      probe?: string;
    }[];
    expect(canary?.reason).toContain(
      `Last failed check: pre-rollout check greenlight-probe-pre failed ${FAILURE}.`,
    );
    // Said once: the prober's Event repeats what Flagger's already carries.
    expect(canary?.reason).not.toContain('Last probe run');
    expect(canary?.probe).toBe(`pre-rollout probe of revision ${REV} failed: ${FAILURE}`);
    expect(run.summary).toContain('Last probe run');
    expect(run.summary).toContain('does not contain &quot;Hello&quot;');
  });

  test("names them from the prober's ProbeFailed Event when Flagger's was dropped", async () => {
    const run = await rolledBack([
      event(
        'prober',
        'ProbeFailed',
        'Warning',
        `pre-rollout probe of revision ${REV} failed: ${FAILURE}`,
        'greenlight-probe',
      ),
    ]);
    expect(run.outputs.result).toBe('failed');
    const [canary] = JSON.parse(run.outputs.canaries as string) as { reason: string }[];
    expect(canary?.reason).toContain(
      `Last probe run: pre-rollout probe of revision ${REV} failed: ${FAILURE}.`,
    );
  });
});
