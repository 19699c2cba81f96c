// The gate under 10,000 generated requests — wrong methods, paths and content types, huge
// bodies, deep JSON, injection and unicode in names, other namespaces, replayed payloads,
// guessed checksums — while other writers approve, abort, move targets to stale and future
// revisions, swap images under the same revision (also before Flagger notices, its checksum
// unchanged), strip approvals of their approver, and Flagger starts and ends analyses.
// The invariant: a 200 only when, at the moment of the decision, the gate's cache held an
// approval (promotion) bound to exactly the revision, the analysed template (Flagger's
// checksum, as sent), the run under analysis and the pod template the target holds, naming
// its approver, or an abort (rollback) of exactly that run of that revision (or of the
// revision, when it names no run), and that cache state is one the API server really stored.
import type { V1Deployment } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import {
  approvalPatch,
  canaryChecksum,
  templateHash,
  type DecisionCode,
  type KubeClient,
} from '@greenlight/core';
import {
  deployChatbot,
  eventually,
  startTestCluster,
  type TestCluster,
} from '@greenlight/test-kit/cluster';
import { writeCanaryStatus } from '@greenlight/test-kit/flagger';
import {
  startApprovalWriter,
  type ApprovalWriter,
  type WriterTarget,
} from './support/approval-writer.ts';
import { refusalCalledFor, stateNeverExisted, unearnedOpen } from './support/gate-check.ts';
import { mayOpen } from './support/gate-oracle.ts';
import {
  FLAGGER_CHECKSUM,
  flaggerPayload,
  generateRequests,
  KNOWN,
  type FuzzRequest,
  type GateName,
} from './support/gate-requests.ts';
import { recordHistory, type ObjectHistory } from './support/object-history.ts';
import { REQUEST_ID, startObservedGate, type ObservedGate } from './support/observed-gate.ts';
import { rawAgent, sendRaw, type RawResponse } from './support/raw-http.ts';
import { seededRandom, seedFor } from './support/random.ts';

const SEED = seedFor(8_2024);
const REQUESTS = 10_000;
const CONCURRENCY = 16;
/** At least one write by the other writers per this many requests, whatever the machine's speed. */
const REQUESTS_PER_WRITE = 10;
const WRITTEN: WriterTarget[] = [
  { namespace: 'openfaas-fn', name: 'chatbot' },
  { namespace: 'openfaas-fn', name: 'faq' },
  { namespace: 'other-ns', name: 'chatbot' },
];

let cluster: TestCluster;
let history: ObjectHistory;

beforeAll(async () => {
  cluster = await startTestCluster();
  history = recordHistory(cluster.api);
  for (const key of KNOWN) {
    const [namespace, name] = key.split('/') as [string, string];
    await deployChatbot(cluster.kube, { namespace, name, revision: 'rev-1' });
    // Flagger has picked rev-1 up and holds it for confirm-promotion.
    await writeCanaryStatus(cluster.api.url, { namespace, name }, 'Progressing');
    await writeCanaryStatus(cluster.api.url, { namespace, name }, 'WaitingPromotion');
  }
  // norev: approved (bound to its analysis and template), but its target carries no
  // revision, so nothing may open.
  const norev = await cluster.kube.get<Canary>(canaryRef('openfaas-fn', 'norev'));
  const unstamped = await cluster.kube.mergePatch<V1Deployment>(
    deploymentRef('openfaas-fn', 'norev'),
    { spec: { template: { metadata: { annotations: { 'greenlight.dev/revision': null } } } } },
  );
  await cluster.kube.mergePatch(
    canaryRef('openfaas-fn', 'norev'),
    approvalPatch({
      revision: 'rev-1',
      checksum: canaryChecksum(norev?.status),
      analysis: norev?.status?.conditions?.[0]?.lastTransitionTime,
      template: templateHash(unstamped),
      by: 'x',
      at: new Date(),
    }),
  );
  // notarget: a Canary whose target Deployment is gone, so there is no revision to judge.
  const gone = `/apis/apps/v1/namespaces/openfaas-fn/deployments/notarget`;
  const deleted = await fetch(`${cluster.api.url}${gone}`, { method: 'DELETE' });
  if (!deleted.ok) throw new Error(`DELETE ${gone}: ${deleted.status}`);
});

/** Every code decide() may answer with: a 10,000-request run must meet each of them. */
const DECISION_CODES: DecisionCode[] = [
  'Approved',
  'NotApproved',
  'OtherRevision',
  'OtherTemplate',
  'ApprovalUsed',
  'ApprovalUnbound',
  'Aborted',
  'NotAborted',
  'BadPayload',
  'UnknownCanary',
  'UnknownTarget',
  'NoRevision',
  'NotSynced',
];

/** The code in the gate's answer to each exchange, counted. */
function answeredCodes(exchanges: Exchange[]): Record<string, number> {
  const codes: Record<string, number> = {};
  for (const { response } of exchanges) {
    let code: unknown;
    try {
      code = (JSON.parse(response.body) as { code?: unknown }).code;
    } catch {
      continue;
    }
    if (typeof code === 'string') codes[code] = (codes[code] ?? 0) + 1;
  }
  return codes;
}

/** The checksum Flagger sends for a Canary now: that of its newest stored status. */
function flaggersChecksum(namespace: string, name: string): string {
  const canary = history.latest('Canary', namespace, name) as Canary | undefined;
  return canaryChecksum(canary?.status);
}

/**
 * The request as it goes out: a body that carries Flagger's checksum gets the one Flagger
 * sends at this moment (a replay, the one its original carried), and `asks` says which.
 */
function asSent(request: FuzzRequest, sent: Map<string, string>): FuzzRequest {
  if (!request.flaggerChecksum || !request.asks || !request.body) return request;
  const original = request.replayOf && sent.get(request.replayOf);
  const checksum = original || flaggersChecksum(request.asks.namespace, request.asks.name);
  sent.set(request.id, checksum);
  const body = Buffer.from(request.body.toString('utf8').replace(FLAGGER_CHECKSUM, checksum));
  return { ...request, body, asks: { ...request.asks, checksum } };
}

afterAll(async () => {
  history.stop();
  await cluster.close();
});

interface Exchange {
  request: FuzzRequest;
  response: RawResponse;
  gate: ObservedGate;
}

/** Replicas stopped mid-run: requests in flight to them may end without an answer. */
const stopped = new Set<ObservedGate>();

/** Sends `requests` with `CONCURRENCY` in flight; `gateFor` picks the replica for each. */
async function fire(
  requests: FuzzRequest[],
  writer: ApprovalWriter,
  gateFor: (index: number) => Promise<ObservedGate>,
): Promise<Exchange[]> {
  const agent = rawAgent(CONCURRENCY);
  const exchanges: Exchange[] = new Array(requests.length);
  const sent = new Map<string, string>();
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const index = next++;
      await writer.reached(Math.floor(index / REQUESTS_PER_WRITE));
      const request = asSent(requests[index] as FuzzRequest, sent);
      const gate = await gateFor(index);
      const response = await sendRaw(gate.port, agent, {
        ...request,
        headers: { ...request.headers, [REQUEST_ID]: request.id },
      });
      exchanges[index] = { request, response, gate };
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  agent.destroy();
  return exchanges;
}

/** Every way an exchange breaks the gate's promises, as readable lines. */
function violations(exchanges: Exchange[]): string[] {
  const found: string[] = [];
  for (const { request, response, gate } of exchanges) {
    const what = `${request.id} (${request.category} ${request.method} ${request.path})`;
    const cut = response.status === 0 && stopped.has(gate);
    if (!request.expect.includes(response.status) && !cut) {
      found.push(
        `${what}: answered ${response.status}${response.error ? ` (${response.error})` : ''}, expected ${request.expect.join('|')}: ${response.body.slice(0, 200)}`,
      );
    }
    const observation = gate.observations.get(request.id);
    if (response.status === 200) {
      const why = unearnedOpen(request, response, observation, history);
      if (why) found.push(`${what}: 200 but ${why}`);
    } else if (request.asks && observation?.decision && observation.synced) {
      // The converse: a refusal the protocol did not call for (a liveness bug, not a hole).
      if (!refusalCalledFor(request.asks, observation)) {
        found.push(`${what}: refused (${observation.decision.code}) what the Canary allowed`);
      } else {
        const why = stateNeverExisted(observation, history);
        if (why) found.push(`${what}: ${why}`);
      }
    }
  }
  return found;
}

function tally(exchanges: Exchange[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { request, response } of exchanges) {
    const gate = request.path.includes('rollback') ? 'rollback' : 'promotion';
    const key = `${request.category} ${response.status}${response.status === 200 ? ` ${gate}` : ''}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

const report = (label: string, data: object) => {
  if (process.env.GREENLIGHT_RELIABILITY_REPORT) console.info(label, JSON.stringify(data, null, 1));
};

test(`opens for none of ${REQUESTS} fuzzed requests unless its cache held an approval bound to the analysis and pod template under way, or an abort of that run (seed ${SEED})`, async () => {
  const random = seededRandom(SEED);
  const requests = generateRequests(random, REQUESTS);
  const gate = await startObservedGate(cluster.kc);
  const writer = startApprovalWriter(cluster.api, cluster.kube, WRITTEN, seededRandom(SEED + 1));
  let exchanges: Exchange[];
  const started = Date.now();
  try {
    exchanges = await fire(requests, writer, async () => gate);
    report('took', { ms: Date.now() - started });
  } finally {
    await writer.stop();
    await gate.stop();
  }
  const counts = tally(exchanges);
  const decisions: Record<string, number> = {};
  for (const { request } of exchanges) {
    const code = gate.observations.get(request.id)?.decision?.code;
    if (code) decisions[code] = (decisions[code] ?? 0) + 1;
  }
  const answered = answeredCodes(exchanges);
  report('gate fuzz', {
    seed: SEED,
    statuses: counts,
    decisions,
    answered,
    writes: writer.counts,
    gateLog: gate.logLines.slice(0, 5),
  });

  expect(violations(exchanges).slice(0, 20)).toEqual([]);
  expect(exchanges.filter((e) => e.response.status >= 500 && e.response.status !== 503)).toEqual(
    [],
  );
  // Not vacuous: both gates opened many times, and the writer did its job meanwhile.
  const opened = (gate: GateName) =>
    exchanges.filter((e) => e.response.status === 200 && e.request.asks?.gate === gate).length;
  expect(opened('promotion')).toBeGreaterThan(50);
  expect(opened('rollback')).toBeGreaterThan(20);
  expect(writer.total).toBeGreaterThanOrEqual(REQUESTS / REQUESTS_PER_WRITE - 1);
  // ...and the binding was put to the test: approvals of this revision were refused for
  // another template (also one swapped in before Flagger noticed: its checksum unchanged),
  // a used run, no binding or approver, and a cache behind Flagger's checksum; aborts of
  // an earlier run were refused as rollbacks. Every code decide() has was answered.
  const binding = ['OtherTemplate', 'ApprovalUsed', 'ApprovalUnbound', 'NotSynced'];
  expect(binding.filter((code) => !decisions[code])).toEqual([]);
  expect(DECISION_CODES.filter((code) => !answered[code])).toEqual([]);
  // The review's window: an approval naming the very checksum Flagger sends and this run,
  // refused because the target holds another template than the one approved.
  const templateOnly = exchanges.filter(({ request }) => {
    const seen = gate.observations.get(request.id);
    if (seen?.decision?.code !== 'OtherTemplate') return false;
    const annotations = (seen.live ? seen.liveCanary : seen.canary)?.metadata?.annotations ?? {};
    return annotations['greenlight.dev/approved-checksum'] === request.asks?.checksum;
  });
  expect(templateOnly.length).toBeGreaterThan(0);
  expect(writer.counts['swap-image-unseen']).toBeGreaterThan(0);
  expect(writer.counts['abort-earlier-run']).toBeGreaterThan(0);
}, 120_000);

test('two replicas, one restarted midway, each open only when earned and agree once synced', async () => {
  const random = seededRandom(SEED + 2);
  const requests = generateRequests(random, 2000).filter((r) => r.asks);
  let a = await startObservedGate(cluster.kc);
  const b = await startObservedGate(cluster.kc);
  let down = false;
  const writer = startApprovalWriter(cluster.api, cluster.kube, WRITTEN, seededRandom(SEED + 3), {
    allowDelete: false,
  });
  let restarting: Promise<void> | undefined;
  const half = Math.floor(requests.length / 2);
  let exchanges: Exchange[];
  try {
    exchanges = await fire(requests, writer, async (index) => {
      if (index === half) {
        // Replica a goes down and comes back: it starts from nothing and lists again.
        down = true;
        restarting = (async () => {
          stopped.add(a);
          await a.stop();
          a = await startObservedGate(cluster.kc);
          down = false;
        })();
      }
      return index % 2 === 0 && !down ? a : b;
    });
    await restarting;
  } finally {
    await writer.stop();
  }
  try {
    expect(violations(exchanges).slice(0, 20)).toEqual([]);

    // Quiet now: every replica must give the answer the cluster's state calls for.
    const expected = await expectedAnswers(cluster.kube);
    for (const replica of [a, b]) {
      await eventually(async () => {
        const answers = await answersOf(replica);
        return JSON.stringify(answers) === JSON.stringify(expected);
      }, 10_000);
    }
    expect(await answersOf(a)).toEqual(await answersOf(b));
    report('replicas', { writes: writer.counts, expected });
  } finally {
    await a.stop();
    await b.stop();
  }
}, 120_000);

/** Whether each gate should open for each known Canary, read straight from the API. */
async function expectedAnswers(kube: KubeClient): Promise<Record<string, boolean>> {
  const answers: Record<string, boolean> = {};
  for (const key of KNOWN) {
    const [namespace, name] = key.split('/') as [string, string];
    const canary = await kube.get<Canary>(canaryRef(namespace, name));
    const target = await kube.get<V1Deployment>(deploymentRef(namespace, name));
    const checksum = canaryChecksum(canary?.status);
    for (const gate of ['promotion', 'rollback'] as const) {
      answers[`${gate} ${key}`] = mayOpen({ gate, namespace, name, checksum }, canary, target);
    }
  }
  return answers;
}

async function answersOf(gate: ObservedGate): Promise<Record<string, boolean>> {
  const answers: Record<string, boolean> = {};
  const random = seededRandom(1);
  for (const key of KNOWN) {
    const [namespace, name] = key.split('/') as [string, string];
    for (const which of ['promotion', 'rollback'] as const) {
      const response = await fetch(`${gate.url}/gate/${which}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(
          flaggerPayload(random, name, namespace, flaggersChecksum(namespace, name)),
        ),
      });
      answers[`${which} ${key}`] = response.status === 200;
    }
  }
  return answers;
}

function canaryRef(namespace: string, name: string) {
  return { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', namespace, name };
}

function deploymentRef(namespace: string, name: string) {
  return { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name };
}

test('after refusing an oversized chunked body, the next request on a keep-alive connection is answered', async () => {
  // Found by the fuzz above: the gate stops reading at 64 KiB and answered 413 on a
  // connection it then abandoned, so a client's next request on it hung for seconds and
  // died with ECONNRESET. It now says `connection: close` with the 413.
  const gate = await startObservedGate(cluster.kc);
  const agent = rawAgent(1);
  try {
    const huge = Buffer.from(JSON.stringify({ name: 'chatbot', pad: 'x'.repeat(200_000) }));
    const post = {
      method: 'POST',
      path: '/gate/promotion',
      headers: { 'content-type': 'application/json' },
    };
    const refused = await sendRaw(gate.port, agent, { ...post, body: huge, chunked: true });
    expect(refused.status).toBe(413);
    const started = Date.now();
    const next = await sendRaw(gate.port, agent, { ...post, body: Buffer.from('{}') });
    expect(next).toMatchObject({ status: 400 });
    expect(Date.now() - started).toBeLessThan(2000);
  } finally {
    agent.destroy();
    await gate.stop();
  }
});
