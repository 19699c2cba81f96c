// Chat probes under the real Flagger (issue 15): Flagger's pre-rollout and rollout webhooks
// call the real prober (harness/prober.ts), whose conversations — examples/chatbot/probes.yml,
// Slack turns signed with the bot's signing secret — go through the mesh stand-in to the
// canary's real chatbot process, where Linkerd-format counts of the actual replies are what
// Flagger's own metrics judge. No user traffic reaches a blue/green canary (the users here
// talk to the apex, which Flagger keeps on the primary), so the probe is the only traffic:
// a good version is promoted, a wrong answer rolls back with the failed turn in the reason,
// the same Canary without its probe webhooks halts with Flagger's "no values found", and a
// canary with no users passes only with a probe.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CoreV1Event, KubernetesObject } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import type { DemoFault } from '@greenlight/example-chatbot';
import {
  approve,
  parseProbeFile,
  probeMetadata,
  renderCanary,
  resolveCanaryOptions,
  type FunctionProbe,
} from '@greenlight/core';
import { chatbotDeployment, deploymentRevision } from '../harness/chatbot.ts';
import {
  startControlPlane,
  FUNCTIONS_NAMESPACE,
  type ControlPlane,
} from '../harness/control-plane.ts';
import { startProber, type Prober } from '../harness/prober.ts';
import { scenario as withReport } from '../harness/report.ts';
import { RolloutWatch } from '../harness/rollout-watch.ts';

const PROBES_FILE = fileURLToPath(new URL('../../../examples/chatbot/probes.yml', import.meta.url));
/** The probe of stack.yml's `chatbot`, shipped here under several function names. */
const PROBE: FunctionProbe = parseProbeFile(readFileSync(PROBES_FILE, 'utf8'), PROBES_FILE)
  .functions.chatbot!;
const SIGNING_SECRET = { name: PROBE.signingSecret!.secret, key: PROBE.signingSecret!.key };
const SIGNING_SECRET_VALUE = 'e2e-probe-signing-secret';
/** Users' messages per second to each apex; a blue/green canary gets none of them. */
const USERS_PER_SECOND = 5;

/** One Canary per case: Flagger's 1m window on `deployment="<name>"` must hold only its own. */
const FUNCTIONS = {
  good: 'bg-good',
  wrong: 'bg-wrong',
  bare: 'bg-bare',
  quiet: 'quiet',
  quietProbed: 'quiet-probed',
} as const;

let plane: ControlPlane;
let prober: Prober;
const rollouts = new Map<string, RolloutWatch>();
let current: RolloutWatch | undefined;

type Shape = { strategy: 'blue-green' | 'canary'; probe: boolean; stripProbe?: boolean };

function canaryObjects(name: string, shape: Shape): KubernetesObject[] {
  const options = resolveCanaryOptions({
    namespace: FUNCTIONS_NAMESPACE,
    provider: 'linkerd',
    approval: true,
    gateUrl: plane.gate.url,
    interval: '10s',
    threshold: 2,
    probeUrl: prober.url,
    probeRounds: 2,
    ...(shape.strategy === 'blue-green'
      ? { strategy: 'blue-green' as const, iterations: 3 }
      : { strategy: 'canary' as const, stepWeight: 50, maxWeight: 50 }),
  });
  const objects = renderCanary(
    { name, ...(shape.probe || shape.stripProbe ? { probe: PROBE } : {}) },
    options,
  ) as KubernetesObject[];
  if (!shape.stripProbe) return objects;
  // Forced past render's refusal of blue/green without a probe: the probe's webhooks out.
  return objects.map((object) => {
    if (object.kind !== 'Canary') return object;
    const canary = structuredClone(object) as unknown as Canary;
    canary.spec.analysis!.webhooks = (canary.spec.analysis!.webhooks ?? []).filter(
      (hook) => !hook.name.startsWith('greenlight-probe'),
    );
    return canary as unknown as KubernetesObject;
  });
}

/** The chatbot at `revision`, its signing secret from the Secret the probe names. */
async function deployVersion(name: string, revision: string, faults: DemoFault[] = []) {
  const deployment = chatbotDeployment({ name, revision, faults });
  deployment.spec!.template.spec!.containers[0]!.env!.push({
    name: 'SLACK_SIGNING_SECRET',
    valueFrom: { secretKeyRef: SIGNING_SECRET },
  });
  await plane.kube.apply(deployment as KubernetesObject);
}

beforeAll(async () => {
  plane = await startControlPlane({
    meshProvider: 'linkerd',
    // The prober may read this one Secret, as the chart's probe.signingSecrets lists it.
    gateValues: {
      probe: { signingSecrets: [{ namespace: FUNCTIONS_NAMESPACE, name: SIGNING_SECRET.name }] },
    },
  });
  await plane.kube.apply({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: SIGNING_SECRET.name, namespace: FUNCTIONS_NAMESPACE },
    stringData: { [SIGNING_SECRET.key]: SIGNING_SECRET_VALUE },
  } as KubernetesObject);
  prober = await startProber(plane);
  const shapes: Record<string, Shape> = {
    [FUNCTIONS.good]: { strategy: 'blue-green', probe: true },
    [FUNCTIONS.wrong]: { strategy: 'blue-green', probe: true },
    [FUNCTIONS.bare]: { strategy: 'blue-green', probe: false, stripProbe: true },
    [FUNCTIONS.quiet]: { strategy: 'canary', probe: false },
    [FUNCTIONS.quietProbed]: { strategy: 'canary', probe: true },
  };
  // Every first deploy at once: Flagger initializes them side by side.
  await Promise.all(
    Object.entries(shapes).map(async ([name, shape]) => {
      rollouts.set(name, await RolloutWatch.start(plane, name));
      await deployVersion(name, 'rev-1');
      for (const object of canaryObjects(name, shape)) await plane.kube.apply(object);
      await rollouts.get(name)!.until('Initialized');
    }),
  );
  for (const name of [FUNCTIONS.good, FUNCTIONS.wrong, FUNCTIONS.bare])
    plane.mesh.users.setRate(name, USERS_PER_SECOND);
}, 240_000);

afterAll(async () => {
  for (const rollout of rollouts.values()) rollout.stop();
  await prober?.process.stop();
  await plane?.stop();
});

const scenario = (name: string, fn: string, body: (rollout: RolloutWatch) => Promise<void>) =>
  withReport(
    name,
    () => ({ plane, rollout: current! }),
    async () => {
      current = rollouts.get(fn)!;
      try {
        await body(current);
      } catch (error) {
        throw new Error(
          `${(error as Error).message}\n--- probe (${prober.process.logFile})\n${prober.process.tail(30)}`,
          { cause: error },
        );
      }
    },
  );

const events = async (rollout: RolloutWatch) => (await rollout.events()).join('\n');
const primaryRevision = (name: string) => deploymentRevision(plane.kube, `${name}-primary`);
const canaryResponses = (name: string) => plane.mesh.metrics.responses(FUNCTIONS_NAMESPACE, name);

/** Waits until Flagger rolled back the analysis that began after phase number `from`. */
const untilRolledBack = (rollout: RolloutWatch, from: number) =>
  rollout.until(
    (phase) => phase === 'Failed' && rollout.since(from).includes('Progressing'),
    120_000,
  );

/** Waits for WaitingPromotion, approves (core), and waits for Flagger's promotion. */
async function approveAndPromote(name: string, rollout: RolloutWatch): Promise<void> {
  await rollout.until('WaitingPromotion', 180_000);
  await approve(plane.kube, { namespace: FUNCTIONS_NAMESPACE, name }, { note: 'e2e' });
  await rollout.until('Succeeded');
}

scenario('a good blue/green with probes is promoted', FUNCTIONS.good, async (rollout) => {
  const from = rollout.phases.length;
  await deployVersion(FUNCTIONS.good, 'rev-2');
  await approveAndPromote(FUNCTIONS.good, rollout);

  expect(rollout.since(from)).toEqual(expect.arrayContaining(['Progressing', 'Succeeded']));
  expect(await primaryRevision(FUNCTIONS.good)).toBe('rev-2');
  const text = await events(rollout);
  expect(text).toMatch(/ProbePassed: pre-rollout probe of revision rev-2: \d+ requests in \d+ ms/);
  expect(text).toMatch(/ProbePassed: rollout probe of revision rev-2: \d+ requests in \d+ ms/);
  // Every reply the canary gave was a 200; the users talked to the apex, which a blue/green
  // analysis keeps on the primary, so it answered most of them.
  const canary = canaryResponses(FUNCTIONS.good);
  expect(Object.keys(canary)).toEqual(['200']);
  expect(canary[200]).toBeGreaterThan(0);
  expect(
    plane.mesh.metrics.responses(FUNCTIONS_NAMESPACE, `${FUNCTIONS.good}-primary`)[200],
  ).toBeGreaterThan(canary[200]!);
});

scenario(
  'a blue/green whose conversation gets a wrong answer is rolled back, the failed turn in the reason',
  FUNCTIONS.wrong,
  async (rollout) => {
    const from = rollout.phases.length;
    await deployVersion(FUNCTIONS.wrong, 'rev-2', ['wrong-reply']);
    await untilRolledBack(rollout, from);

    expect(rollout.since(from)).not.toContain('WaitingPromotion');
    expect(await primaryRevision(FUNCTIONS.wrong)).toBe('rev-1');
    const text = await events(rollout);
    // The prober's Event carries the turn, what it sent and the wrong reply; so does
    // Flagger's own Warning, because the prober answers 422: a 5xx body is lost in Flagger's
    // retrying client ("giving up after 1 attempt(s)", docs/design.md, "Flagger facts").
    expect(text).toMatch(
      /ProbeFailed: pre-rollout probe of revision rev-2 failed: conversation "greets on the web chat" turn 1: .*goodbye @probe!/,
    );
    expect(text).toMatch(
      new RegExp(
        `Halt ${FUNCTIONS.wrong}\\.${FUNCTIONS_NAMESPACE} advancement pre-rollout check greenlight-probe-pre failed conversation .*greets on the web chat.* turn 1: .*goodbye @probe!`,
      ),
    );
    expect(text).toMatch(/Rolling back .*failed checks threshold reached 2/);
  },
);

scenario(
  'the same blue/green with its probe webhooks stripped halts with Flagger’s own "no values found"',
  FUNCTIONS.bare,
  async (rollout) => {
    const from = rollout.phases.length;
    await deployVersion(FUNCTIONS.bare, 'rev-2');
    await untilRolledBack(rollout, from);

    expect(await primaryRevision(FUNCTIONS.bare)).toBe('rev-1');
    // Nothing reached the canary: users talk to the apex, which stays on the primary.
    expect(canaryResponses(FUNCTIONS.bare)).toEqual({});
    expect(plane.mesh.users.replies(FUNCTIONS.bare)[200]).toBeGreaterThan(0);
    const text = await events(rollout);
    expect(text).toMatch(/no values found for linkerd metric request-success-rate/);
    expect(text).toMatch(/Rolling back .*failed checks threshold reached 2/);
  },
);

scenario(
  'a canary with no user traffic halts without a probe, and passes with one',
  FUNCTIONS.quiet,
  async (quiet) => {
    const probed = rollouts.get(FUNCTIONS.quietProbed)!;
    const from = { quiet: quiet.phases.length, probed: probed.phases.length };
    await Promise.all([
      deployVersion(FUNCTIONS.quiet, 'rev-2'),
      deployVersion(FUNCTIONS.quietProbed, 'rev-2'),
    ]);

    await untilRolledBack(quiet, from.quiet);
    expect(await events(quiet)).toMatch(/no values found for linkerd metric request-success-rate/);
    expect(await primaryRevision(FUNCTIONS.quiet)).toBe('rev-1');

    await approveAndPromote(FUNCTIONS.quietProbed, probed);
    expect(probed.since(from.probed)).not.toContain('Failed');
    expect(await primaryRevision(FUNCTIONS.quietProbed)).toBe('rev-2');
    expect(Object.keys(canaryResponses(FUNCTIONS.quietProbed))).toEqual(['200']);
  },
);

// Attacks through the real prober's HTTP port and plain Kubernetes writes, on the real
// kube-apiserver with the chart's Role: anything that reaches the prober, and a team sharing
// the namespace, cannot borrow the bot's signing Secret or run a conversation of its own.

const postToProber = (body: object) =>
  fetch(`${prober.url}/probe/rollout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      namespace: FUNCTIONS_NAMESPACE,
      phase: 'Progressing',
      checksum: 'x',
      ...body,
    }),
  });

test('a forged payload naming another conversation and the bot’s Secret is refused, nothing signed', async () => {
  const forged = { ...PROBE, conversations: PROBE.conversations.slice(1) };
  const before = canaryResponses(FUNCTIONS.good);
  const response = await postToProber({ name: FUNCTIONS.good, metadata: probeMetadata(forged, 2) });
  expect(response.status).toBe(403);
  expect(await response.text()).toContain(
    `metadata.probe is not what Canary ${FUNCTIONS_NAMESPACE}/${FUNCTIONS.good}'s rollout webhook greenlight-probe carries`,
  );
  expect(canaryResponses(FUNCTIONS.good)).toEqual(before);
});

test('team B’s Canary naming the bot’s signing Secret, which its target does not mount, is refused with a ProbeFailed Event', async () => {
  const name = 'team-b';
  // Team B's own Deployment, in the same namespace, references no Secret.
  await plane.kube.apply(chatbotDeployment({ name, revision: 'rev-b' }) as KubernetesObject);
  const objects = canaryObjects(name, { strategy: 'canary', probe: true });
  for (const object of objects) await plane.kube.apply(object);
  const canary = objects.find((o) => o.kind === 'Canary') as unknown as Canary;
  const rollout = canary.spec.analysis!.webhooks!.find((hook) => hook.type === 'rollout')!;

  const response = await postToProber({ name, metadata: rollout.metadata });
  expect(response.status).toBe(403);
  const body = await response.text();
  expect(body).toContain(
    `Deployment ${FUNCTIONS_NAMESPACE}/${name} does not reference Secret ${FUNCTIONS_NAMESPACE}/${SIGNING_SECRET.name}, so the prober will not sign with it`,
  );
  let failed: CoreV1Event[] = [];
  for (let i = 0; i < 50 && failed.length === 0; i++) {
    const events = await plane.kube.list<CoreV1Event>(
      { apiVersion: 'v1', kind: 'Event' },
      FUNCTIONS_NAMESPACE,
    );
    failed = events.filter((e) => e.involvedObject?.name === name && e.reason === 'ProbeFailed');
    if (failed.length === 0) await new Promise((r) => setTimeout(r, 100));
  }
  expect(failed.map((e) => e.message)).toEqual([`rollout probe of revision rev-b failed: ${body}`]);
  const seen = [body, JSON.stringify(failed), prober.process.tail(200)].join('\n');
  expect(seen).not.toContain(SIGNING_SECRET_VALUE);
  expect(seen).not.toContain(Buffer.from(SIGNING_SECRET_VALUE).toString('base64'));
});
