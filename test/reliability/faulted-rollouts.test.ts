// 100 rollouts followed through a proxy that injects 500s, 429s, slow answers, resets in
// the middle of watches and 410 Gone on watch resumption, on a seeded schedule. Flagger's
// side (status, weights, the primary) is written straight to the API; everything of
// Greenlight's goes through the faults: the action's follow, the CLI's watch, the approvals,
// and the gate's caches that Flagger's confirm-promotion waits on.
// Promises: no wrong verdict (no success for a failed or unfinished canary, no failure for a
// succeeded one), no lost approval, every fault retried to success or reported clearly.
import { KubeConfig } from '@kubernetes/client-node';
import { approve, createKubeClient, type RolloutView } from '@greenlight/core';
import { renderKubeconfig } from '@greenlight/sandbox';
import { follow, type FollowResult } from '../../action/src/follow/follow.ts';
import { watchRollout as followRollout } from '@greenlight/core';
import { deployChatbot, startTestCluster, type TestCluster } from '@greenlight/test-kit/cluster';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';
import { flaggerWrites } from '@greenlight/test-kit/flagger';
import { mayOpen } from './support/gate-oracle.ts';
import { stateNeverExisted } from './support/gate-check.ts';
import { recordHistory, type ObjectHistory } from './support/object-history.ts';
import { REQUEST_ID, startObservedGate, type ObservedGate } from './support/observed-gate.ts';
import { seededRandom, seedFor } from './support/random.ts';
import {
  deployRevision,
  playRollout,
  type Plan,
} from '@greenlight/test-kit/flagger/rollout-script';

const SEED = seedFor(8_0003);
const ROLLOUTS = Number(process.env.GREENLIGHT_ROLLOUTS) || 100;
const AT_ONCE = 50;
/** How long an unfinished rollout is followed before the follow must say it timed out. */
const UNFINISHED_MS = 3000;

const EXPECTED_ACTION: Record<Plan, FollowResult['outcome']> = {
  succeeds: 'succeeded',
  fails: 'failed',
  superseded: 'superseded',
  unfinished: 'timed-out',
};
// The CLI follows whatever revision is under analysis: a superseded rollout goes on.
const EXPECTED_CLI: Record<Plan, string> = {
  succeeds: 'succeeded',
  fails: 'failed',
  superseded: 'no verdict',
  unfinished: 'no verdict',
};

let cluster: TestCluster;
let proxy: FaultProxy;
let proxied: KubeConfig;
let gate: ObservedGate;
let history: ObjectHistory;

beforeAll(async () => {
  cluster = await startTestCluster();
  history = recordHistory(cluster.api);
  proxy = await startFaultProxy(cluster.api.url, SEED);
  proxied = new KubeConfig();
  proxied.loadFromString(renderKubeconfig(proxy.url));
  gate = await startObservedGate(proxied);
});
afterAll(async () => {
  await gate.stop();
  await proxy.close();
  history.stop();
  await cluster.close();
});

interface Outcome {
  namespace: string;
  plan: Plan;
  action: string;
  cli: string;
  problems: string[];
  /** How long the rollout took to play, and until both follows ended. */
  ms: [number, number];
}

/** A namespace with a chatbot at rest: primary and target at rev-0, Initialized. */
async function initialised(namespace: string) {
  const flagger = flaggerWrites(cluster.api.url, cluster.kube, { namespace });
  await deployChatbot(cluster.kube, { namespace, name: 'chatbot', revision: 'rev-0' });
  await flagger.primary('chatbot', 'rev-0');
  await flagger.weights('chatbot', 0);
  await flagger.status('chatbot', 'Initialized');
  return flagger;
}

async function faultedRollout(
  index: number,
  plan: Plan,
  approvalErrors: string[],
): Promise<Outcome> {
  const namespace = `ns-${index}`;
  const flagger = await initialised(namespace);
  await deployRevision(cluster.kube, namespace, 'chatbot', 'rev-1');
  const started = Date.now();
  const problems: string[] = [];
  const proxiedKube = createKubeClient(proxied);
  // A follow ends at its verdict; only where none is due does the window end it.
  const actionWindow = plan === 'unfinished' ? UNFINISHED_MS : 30_000;
  const cliWindow = plan === 'succeeds' || plan === 'fails' ? 30_000 : UNFINISHED_MS;

  const actionFollow = follow({
    kc: proxied,
    namespace,
    canaries: [{ name: 'chatbot', revision: 'rev-1', since: new Date() }],
    until: 'done',
    deadline: Date.now() + actionWindow,
    log: () => undefined,
  });
  let cliFollower: ReturnType<typeof followRollout> | undefined;
  const cliFollow = new Promise<string>((resolve) => {
    const timer = setTimeout(() => resolve('no verdict'), cliWindow);
    cliFollower = followRollout(
      proxied,
      { namespace, name: 'chatbot' },
      'linkerd',
      (view?: RolloutView) => {
        if (view && view.verdict !== 'in-progress' && view.verdict !== 'idle') {
          clearTimeout(timer);
          resolve(view.verdict);
        }
      },
    );
    cliFollower.ready.catch(() => undefined);
  });

  try {
    await playRollout(plan, {
      kube: cluster.kube,
      flagger,
      namespace,
      name: 'chatbot',
      stepMs: 30,
      approve: async () => {
        // Through the faults, as the action's promote or the CLI's approve would; an error
        // must say what failed, and a retry must get the approval there.
        for (let attempt = 1; ; attempt++) {
          try {
            await approve(proxiedKube, { namespace, name: 'chatbot' }, { note: 'ana' });
            return;
          } catch (error) {
            approvalErrors.push((error as Error).message);
            if (attempt === 20) throw error;
          }
        }
      },
      gateOpens: async () => {
        const id = `${namespace}-${Math.random()}`;
        const body = await flagger.payload('chatbot');
        const response = await fetch(`${gate.url}/gate/promotion`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [REQUEST_ID]: id },
          // As Flagger sends it: the checksum of the status it wrote.
          body: JSON.stringify(body),
        });
        if (response.status !== 200) return false;
        const seen = gate.observations.get(id);
        const question = {
          gate: 'promotion' as const,
          namespace,
          name: 'chatbot',
          checksum: body.checksum,
        };
        if (
          !seen?.synced ||
          !mayOpen(question, seen.canary, seen.target) ||
          (seen.live && !mayOpen(question, seen.liveCanary, seen.liveTarget))
        ) {
          problems.push(
            `the gate opened without an approval of the revision under analysis in its cache`,
          );
        }
        const never = seen && stateNeverExisted(seen, history);
        if (never) problems.push(never);
        return true;
      },
    });
  } catch (error) {
    problems.push((error as Error).message);
  }
  const played = Date.now() - started;
  const [actionResult] = await actionFollow;
  const cli = await cliFollow;
  cliFollower?.stop();
  return {
    namespace,
    plan,
    action: actionResult?.outcome ?? 'none',
    cli,
    problems,
    ms: [played, Date.now() - started],
  };
}

test(`${ROLLOUTS} rollouts through injected API faults: no wrong verdict, no lost approval (seed ${SEED})`, async () => {
  const random = seededRandom(SEED);
  const plans = Array.from({ length: ROLLOUTS }, () =>
    random.weighted<Plan>({ succeeds: 40, fails: 25, superseded: 20, unfinished: 15 }),
  );
  const approvalErrors: string[] = [];
  const outcomes: Outcome[] = [];
  // @actions/core writes ::group:: commands straight to stdout; keep them out of Jest's output.
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
    String(chunk).startsWith('::') ? true : write(chunk, ...rest)) as typeof process.stdout.write;
  const started = Date.now();
  try {
    for (let first = 0; first < ROLLOUTS; first += AT_ONCE) {
      const batch = plans.slice(first, first + AT_ONCE);
      outcomes.push(
        ...(await Promise.all(
          batch.map((plan, i) => faultedRollout(first + i, plan, approvalErrors)),
        )),
      );
    }
  } finally {
    process.stdout.write = write;
  }

  const wrong = outcomes.flatMap((o) => [
    ...(o.action === EXPECTED_ACTION[o.plan]
      ? []
      : [`${o.namespace} (${o.plan}): the action's follow said ${o.action}`]),
    ...(o.cli === EXPECTED_CLI[o.plan]
      ? []
      : [`${o.namespace} (${o.plan}): the CLI's watch said ${o.cli}`]),
    ...o.problems.map((p) => `${o.namespace} (${o.plan}): ${p}`),
  ]);
  // A failed approval says which object, what the API answered, and its status.
  const unclear = approvalErrors.filter(
    (m) =>
      !/^could not (read|patch|list|record event \w+ on) (Canary|Deployment) ns-\d+\/chatbot: .+ \((500 InternalError|429 TooManyRequests)\)$/.test(
        m,
      ),
  );
  if (process.env.GREENLIGHT_RELIABILITY_REPORT) {
    console.info(
      'faulted rollouts',
      JSON.stringify(
        {
          seed: SEED,
          ms: Date.now() - started,
          plans: count(plans),
          faults: proxy.counts(),
          requests: proxy.log.length,
          approvalErrors: approvalErrors.length,
          sampleError: approvalErrors[0],
        },
        null,
        1,
      ),
    );
  }
  if (process.env.GREENLIGHT_RELIABILITY_REPORT)
    console.info(
      outcomes.map((o) => `${o.namespace} ${o.plan} ${o.action} ${o.cli} ${o.ms}`).join('\n'),
    );
  expect(wrong).toEqual([]);
  expect(unclear).toEqual([]);
  // Not vacuous: every kind of fault happened, many times.
  for (const [kind, n] of Object.entries(proxy.counts()))
    expect([kind, n > 10]).toEqual([kind, true]);
}, 120_000);

function count(items: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[item] = (counts[item] ?? 0) + 1;
  return counts;
}
