// Races between the people and machines that write to one Canary.
//
// - Two deploys of different revisions started 1 s apart: the newer is promoted; the older
//   run ends `superseded` (exit 0).
// - An approval racing a new revision: an approval names the revision its approver saw
//   (the action's promote reads it first and passes it on), so it never approves the
//   newcomer; the newcomer waits for its own approval.
// - Approve and abort at once: abort wins. Where: core/src/approval/decide.ts
//   (decidePromotion refuses an aborted revision before it looks at the approval, so the
//   gate answers confirm-promotion 403 `Aborted` and rollback 200), and
//   core/src/approval/approve.ts (approving a revision already aborted is refused). Flagger
//   then rolls the revision back at its next check.
import { KubeConfig, type V1Deployment } from '@kubernetes/client-node';
import {
  abort,
  approve,
  canaryChecksum,
  createKubeClient,
  readAbort,
  readApproval,
  type KubeClient,
} from '@greenlight/core';
import {
  startActionSandbox,
  type ActionSandbox,
} from '@greenlight/test-kit/cluster/action-sandbox';
import { FLAGGER_API_VERSION, type Canary } from 'flagger-types';
import { runAction } from '@greenlight/test-kit/processes/run-action';
import {
  deployChatbot,
  eventually,
  startTestCluster,
  type TestCluster,
} from '@greenlight/test-kit/cluster';
import { writeCanaryStatus } from '@greenlight/test-kit/flagger';
import { startFaultProxy } from './fault-proxy.ts';
import { mayOpen, revisionUnderAnalysis } from './support/gate-oracle.ts';
import { REQUEST_ID, startObservedGate, type ObservedGate } from './support/observed-gate.ts';
import { seededRandom, seedFor } from './support/random.ts';

const NS = 'openfaas-fn';
const SEED = seedFor(8_0004);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('against the sandbox (Flagger-behaving controller, real gate, 50× speed)', () => {
  let env: ActionSandbox;
  beforeEach(async () => (env = await startActionSandbox(NS)));
  afterEach(() => env.sandbox.close());
  const revisionOf = async (name: string) =>
    revisionUnderAnalysis(
      await env.sandbox.kube.get<V1Deployment>({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: NS,
        name,
      }),
    );

  test('two deploys started 1 s apart: the newer is promoted, the older run ends superseded', async () => {
    const slow = { 'step-weight': '5', 'max-weight': '50' };
    const older = runAction({ inputs: env.inputs({ revision: 'v2', ...slow }) });
    await sleep(1000);
    const newer = runAction({ inputs: env.inputs({ revision: 'v3', ...slow }) });
    const [first, second] = await Promise.all([older, newer]);
    expect([first.outputs.result, first.code]).toEqual(['superseded', 0]);
    expect(first.notices.join('\n')).toMatch(/superseded by revision v3/);
    expect([second.outputs.result, second.code]).toEqual(['succeeded', 0]);
    expect(await revisionOf('chatbot-primary')).toBe('v3');
  }, 30_000);

  test('a promote racing a new revision never approves the newcomer, which waits for its own approval', async () => {
    const approval = { approval: 'true', 'gate-url': env.sandbox.gateUrl };
    const deployed = await runAction({ inputs: env.inputs({ revision: 'v2', ...approval }) });
    expect(deployed.outputs.result).toBe('awaiting-approval');
    const specOfV2 = (await env.canary())?.status?.lastAppliedSpec;
    // The approver's promote and the next merge's deploy, at the same moment. The promote
    // names the revision its reviewer saw, as merge-to-deploy.yml passes the deploy's output.
    // (Without one — promote.yml with an empty revision, the CLI's approve without
    // --revision — it approves whatever is under analysis when it reads, newcomer included;
    // a deploy between its read and its write is safe: see the stand-in test below.)
    const promoting = runAction({
      inputs: { command: 'promote', kubeconfig: env.kubeconfig, revision: 'v2', timeout: '20s' },
    });
    const deploying = runAction({ inputs: env.inputs({ revision: 'v3', ...approval }) });
    const [promoted, next] = await Promise.all([promoting, deploying]);
    // However it interleaved: v3 reached the gate unapproved, and is held there.
    expect(next.outputs.result).toBe('awaiting-approval');
    expect(readApproval(await env.canary())?.revision).not.toBe('v3');
    // Flagger analyses v3 and holds it at the gate; five more intervals change nothing.
    await eventually(async () => {
      const status = (await env.canary())?.status;
      return status?.phase === 'WaitingPromotion' && status.lastAppliedSpec !== specOfV2;
    }, 10_000);
    await sleep(1000);
    expect((await env.canary())?.status?.phase).toBe('WaitingPromotion');
    expect(await revisionOf('chatbot')).toBe('v3');
    expect(await revisionOf('chatbot-primary')).not.toBe('v3');
    if (process.env.GREENLIGHT_RELIABILITY_REPORT) {
      console.info('promote racing a deploy', promoted.outputs.result, promoted.errors);
    }
    // The promote run either approved v2 (then superseded or promoted), or was refused
    // because v2 was no longer under analysis when it looked.
    expect(['superseded', 'succeeded', undefined]).toContain(promoted.outputs.result);
    if (promoted.outputs.result === undefined) {
      expect(promoted.errors.join('\n')).toMatch(/revision v2 is not under analysis/);
    }
    // v3 goes on once it is approved itself.
    const approved = await runAction({
      inputs: { command: 'promote', kubeconfig: env.kubeconfig, revision: 'v3', timeout: '20s' },
    });
    expect(approved.outputs.result).toBe('succeeded');
  }, 40_000);

  // A deploy that lands while the previous revision waits for approval must not report
  // `awaiting-approval` from the status Flagger wrote for the old one: the follow waits until
  // Flagger has picked the new pod template up (its lastAppliedSpec changed).
  test('a deploy onto a canary awaiting approval waits for its own analysis before saying awaiting-approval', async () => {
    const approval = { approval: 'true', 'gate-url': env.sandbox.gateUrl };
    const first = await runAction({ inputs: env.inputs({ revision: 'v2', ...approval }) });
    expect(first.outputs.result).toBe('awaiting-approval');
    const second = await runAction({ inputs: env.inputs({ revision: 'v3', ...approval }) });
    expect(second.outputs.result).toBe('awaiting-approval');
    // Its analysis ran: Flagger restarted it for v3 (Progressing) before holding it again.
    expect(second.stdout).toMatch(
      /Progressing · green 0% \/ blue 100%[^\n]*\n(.*\n)*.*WaitingPromotion/,
    );
  }, 30_000);

  test('approve and abort at once: abort wins and Flagger rolls the revision back', async () => {
    const deployed = await runAction({
      inputs: env.inputs({ revision: 'v2', approval: 'true', 'gate-url': env.sandbox.gateUrl }),
    });
    expect(deployed.outputs.result).toBe('awaiting-approval');
    const ref = { namespace: NS, name: 'chatbot' };
    const [approved, aborted] = await Promise.allSettled([
      approve(env.sandbox.kube, ref, { note: 'ana' }),
      abort(env.sandbox.kube, ref, { note: 'bob' }),
    ]);
    expect(aborted.status).toBe('fulfilled');
    // The approval may have landed too (it read the Canary before the abort): no matter.
    void approved;
    await eventually(async () => (await env.canary())?.status?.phase === 'Failed', 10_000);
    expect(await revisionOf('chatbot-primary')).toBe('v1');
  }, 30_000);
});

describe('against the API stand-in, many times over', () => {
  let cluster: TestCluster;
  let gate: ObservedGate;
  beforeAll(async () => {
    cluster = await startTestCluster();
    await deployChatbot(cluster.kube, { revision: 'r0' });
    // Flagger analyses r0: approvals bind to an analysis under way.
    await writeCanaryStatus(cluster.api.url, ref, 'Progressing');
    gate = await startObservedGate(cluster.kc);
  });
  afterAll(async () => {
    await gate.stop();
    await cluster.close();
  });

  const ref = { namespace: NS, name: 'chatbot' };
  const canaryRef = { apiVersion: FLAGGER_API_VERSION, kind: 'Canary', ...ref };
  /** A deploy of `revision`, which Flagger then picks up (a new lastAppliedSpec). */
  const stamp = async (kube: KubeClient, revision: string) => {
    await kube.mergePatch(
      { apiVersion: 'apps/v1', kind: 'Deployment', ...ref },
      {
        spec: { template: { metadata: { annotations: { 'greenlight.dev/revision': revision } } } },
      },
    );
    await writeCanaryStatus(cluster.api.url, ref, 'Progressing');
  };
  const clearMarks = (kube: KubeClient) =>
    kube.mergePatch(canaryRef, {
      metadata: {
        annotations: Object.fromEntries(
          [
            'approved-revision',
            'approved-checksum',
            'approved-analysis',
            'approved-template',
            'approved-by',
            'approved-note',
            'approved-at',
            'abort-revision',
            'abort-checksum',
            'abort-analysis',
            'abort-by',
            'abort-note',
            'abort-at',
          ].map((k) => [`greenlight.dev/${k}`, null]),
        ),
      },
    });
  let asked = 0;
  /** Asks the gate as Flagger does; a 200 must rest on an approval of what its cache shows. */
  const ask = async (which: 'promotion' | 'rollback') => {
    const id = `race-${asked++}`;
    // Flagger sends the checksum of the status it wrote.
    const checksum = canaryChecksum((await cluster.kube.get<Canary>(canaryRef))?.status);
    const response = await fetch(`${gate.url}/gate/${which}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [REQUEST_ID]: id },
      body: JSON.stringify({ ...ref, phase: 'WaitingPromotion', checksum }),
    });
    const seen = gate.observations.get(id);
    if (response.status === 200) {
      const question = { gate: which, ...ref, checksum };
      expect(mayOpen(question, seen?.canary, seen?.target)).toBe(true);
      if (seen?.live) expect(mayOpen(question, seen.liveCanary, seen.liveTarget)).toBe(true);
    }
    return { status: response.status, target: revisionUnderAnalysis(seen?.target) };
  };

  test('an approval racing a new revision names the old one, and the gate never opens for the new', async () => {
    const random = seededRandom(SEED);
    const outcomes: Record<string, number> = {};
    for (let i = 1; i <= 30; i++) {
      const [seen, next] = [`a${i}`, `b${i}`];
      await clearMarks(cluster.kube);
      await stamp(cluster.kube, seen);
      // The approver saw `seen`; the next deploy stamps `next`; either may land first.
      const [approval] = await Promise.allSettled([
        sleep(random.int(0, 3)).then(() =>
          approve(cluster.kube, ref, { revision: seen, note: 'ana' }),
        ),
        sleep(random.int(0, 3)).then(() => stamp(cluster.kube, next)),
      ]);
      const key =
        approval.status === 'fulfilled'
          ? 'approved the old revision'
          : 'refused: no longer under analysis';
      outcomes[key] = (outcomes[key] ?? 0) + 1;
      if (approval.status === 'rejected') {
        expect(String(approval.reason)).toMatch(
          new RegExp(`revision ${seen} is not under analysis`),
        );
      }
      const marked = readApproval(await cluster.kube.get<Canary>(canaryRef));
      expect(marked === undefined || marked.revision === seen).toBe(true);
      // Once the gate sees the new revision, it refuses; never a 200 for it.
      await eventually(async () => (await ask('promotion')).target === next, 3000);
      for (let n = 0; n < 3; n++)
        expect(await ask('promotion')).toEqual({ status: 403, target: next });
    }
    expect(Object.values(outcomes).reduce((a, b) => a + b, 0)).toBe(30);
    if (process.env.GREENLIGHT_RELIABILITY_REPORT) console.info('approval races', outcomes);
  }, 30_000);

  // An approval without a revision (the CLI's approve without --revision, the action's promote
  // with none) approves the revision it reads — and names it. A deploy landing between that
  // read and the write leaves an approval of the old revision, which the gate does not take
  // for the new one. Here the write is held in a proxy while the next deploy lands.
  test('an approval without a revision names the one it read: a deploy between read and write is never approved', async () => {
    const proxy = await startFaultProxy(cluster.api.url, SEED, {
      error500: 0,
      throttle429: 0,
      slow: 0,
      resetMidWatch: 0,
      gone410: 0,
    });
    const kc = new KubeConfig();
    kc.loadFromString(cluster.api.kubeconfig().replaceAll(cluster.api.url, proxy.url));
    const proxied = createKubeClient(kc);
    try {
      for (let i = 1; i <= 5; i++) {
        const [read, next] = [`n${i}`, `m${i}`];
        await clearMarks(cluster.kube);
        await stamp(cluster.kube, read);
        let landed: Promise<unknown> = Promise.resolve();
        proxy.script((entry) => {
          if (entry.method !== 'PATCH' || !entry.path.includes('/canaries/')) return undefined;
          landed = stamp(cluster.kube, next); // straight to the API, while the write is held
          return 'slow';
        });
        const approved = await approve(proxied, ref, { note: 'ana' });
        proxy.script(undefined);
        await landed;
        const log = cluster.api.requestLog.map((e) => `${e.method} ${e.path}`);
        // The deploy reached the API before the approval did (else this proves nothing).
        expect(
          log.lastIndexOf(`PATCH /apis/apps/v1/namespaces/${NS}/deployments/chatbot`),
        ).toBeLessThan(
          log.lastIndexOf(`PATCH /apis/flagger.app/v1beta1/namespaces/${NS}/canaries/chatbot`),
        );
        expect(approved.revision).toBe(read);
        expect(readApproval(await cluster.kube.get<Canary>(canaryRef))?.revision).toBe(read);
        await eventually(async () => (await ask('promotion')).target === next, 3000);
        for (let n = 0; n < 3; n++)
          expect(await ask('promotion')).toEqual({ status: 403, target: next });
      }
    } finally {
      await proxy.close();
    }
  }, 30_000);

  test('approve and abort at once, in either order: abort wins at both gates', async () => {
    const random = seededRandom(SEED + 1);
    for (let i = 1; i <= 30; i++) {
      const revision = `c${i}`;
      await clearMarks(cluster.kube);
      await stamp(cluster.kube, revision);
      await Promise.allSettled([
        sleep(random.int(0, 3)).then(() => approve(cluster.kube, ref, { note: 'ana' })),
        sleep(random.int(0, 3)).then(() => abort(cluster.kube, ref, { note: 'bob' })),
      ]);
      expect(readAbort(await cluster.kube.get<Canary>(canaryRef))?.revision).toBe(revision);
      await eventually(async () => (await ask('rollback')).status === 200, 3000);
      const promotion = await ask('promotion');
      expect(promotion).toEqual({ status: 403, target: revision });
    }
  }, 30_000);
});
