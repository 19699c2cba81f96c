import type { KubernetesObject } from '@kubernetes/client-node';
import { probeRunEvent, type ProbeRun } from '@greenlight/core';
import { deployChatbot, eventually } from '@greenlight/test-kit/cluster';
import { startCliCluster, type CliCluster } from '@greenlight/test-kit/cluster/cli';
import { runCli, startCli } from '@greenlight/test-kit/processes/run-cli';
import { setPrimary, setStatus, setWeights } from './flagger.ts';

// status and watch show the revision's last probe run, read from the prober's Events (worded
// here by core's probeRunEvent, as the prober words them) with core's parser.

const NS = 'openfaas-fn';
const GREEN = 'rev-green';
const BLUE = 'rev-blue';

let cluster: CliCluster;
let canary = 0;
let event = 0;

beforeAll(async () => {
  cluster = await startCliCluster();
});
afterAll(() => cluster.close());

async function rolloutOf(): Promise<string> {
  const name = `chatbot-${++canary}`;
  await deployChatbot(cluster.kube, { name, revision: GREEN });
  await setPrimary(cluster.kube, BLUE, name);
  await setWeights(cluster.kube, 0, name);
  await setStatus(cluster.api, { phase: 'Progressing' }, name);
  return name;
}

/** The prober's Event for one run of `revision` on Canary `name`, `secondsAgo` old. */
async function probed(
  name: string,
  revision: string,
  run: ProbeRun,
  secondsAgo = 0,
  component = 'greenlight-probe',
) {
  const text = probeRunEvent('rollout', revision, run);
  const at = new Date(Date.now() - secondsAgo * 1000).toISOString();
  await cluster.kube.apply({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { namespace: NS, name: `${name}.probe${++event}` },
    involvedObject: { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', namespace: NS, name },
    ...text,
    source: { component },
    firstTimestamp: at,
    lastTimestamp: at,
    count: 1,
  } as KubernetesObject);
}

const WRONG: ProbeRun = {
  ok: false,
  requests: 1,
  durationMs: 12,
  failure: {
    conversation: 'greets',
    turn: 1,
    request: 'POST http://chatbot-canary.openfaas-fn:8080/ webchat {"message":"hello"}',
    reply: '200 {"reply":"goodbye: see you"}',
    reason: 'does not contain "says: hello"',
  },
};

describe('greenlight status', () => {
  it("shows each side's last probe run: the failed turn reason first, and a pass", async () => {
    const name = await rolloutOf();
    await probed(name, GREEN, { ok: true, requests: 5, durationMs: 40 }, 60);
    await probed(name, GREEN, WRONG);
    await probed(name, BLUE, { ok: true, requests: 25, durationMs: 840 }, 600);
    const { code, out, err } = await runCli(['status', `${NS}/${name}`], cluster.env);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(
      /^Last probe \(green\)\s+rollout failed: conversation "greets" turn 1: does not contain "says: hello"; sent POST http:\/\/chatbot-canary\.openfaas-fn:8080\/ webchat \{"message":"hello"\}; reply 200 \{"reply":"goodbye: see you"\}$/m,
    );
    expect(out).toMatch(/^Last probe \(blue\)\s+rollout passed: 25 requests in 840 ms$/m);
  });

  it('shows the prober’s run, not a newer look-alike Event from another source', async () => {
    const name = await rolloutOf();
    await probed(name, GREEN, WRONG, 30);
    await probed(name, GREEN, { ok: true, requests: 5, durationMs: 40 }, 0, 'team-b');
    const { out } = await runCli(['status', `${NS}/${name}`], cluster.env);
    expect(out).toMatch(/^Last probe \(green\)\s+rollout failed: conversation "greets" turn 1/m);
  });

  it('shows no probe rows for a canary without probe runs', async () => {
    const name = await rolloutOf();
    const { out } = await runCli(['status', `${NS}/${name}`], cluster.env);
    expect(out).not.toMatch(/Last probe/);
  });
});

describe('greenlight watch', () => {
  it("prints a line when the revision's last probe run changes", async () => {
    const name = await rolloutOf();
    const watch = startCli(['watch', `${NS}/${name}`, '--timeout', '10'], cluster.env);
    await eventually(() => watch.out().includes('Progressing'));
    await probed(name, GREEN, { ok: true, requests: 5, durationMs: 40 });
    await eventually(() => watch.out().includes('probe of rev-green: rollout passed'));
    await probed(name, GREEN, WRONG);
    await eventually(() => watch.out().includes('probe of rev-green: rollout failed'));
    await setStatus(cluster.api, { phase: 'Failed' }, name);
    const { out } = await watch.done;
    const probeLines = out.split('\n').filter((line) => line.includes('  probe of '));
    expect(probeLines.map((line) => line.slice(10))).toEqual([
      `${NS}/${name}  probe of rev-green: rollout passed: 5 requests in 40 ms`,
      `${NS}/${name}  probe of rev-green: rollout failed: conversation "greets" turn 1: does not contain "says: hello"; sent ${WRONG.failure!.request}; reply ${WRONG.failure!.reply}`,
    ]);
  });
});
