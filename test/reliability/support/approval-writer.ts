// The other writers of a busy cluster, on a seeded schedule: people approving and aborting
// (through core's protocol, and also behind its back with raw patches naming stale or
// future revisions, no analysis, an earlier analysis's binding, an approval stripped of its
// approver or template, an abort of an earlier run or one naming no run), deploys moving the
// target to new or old revisions, someone swapping the image under the same revision — also
// inside the window before Flagger notices, when its checksum still names the template
// analysed — a target losing its revision stamp or disappearing for a moment, dropped
// watch connections —
// and Flagger, which picks each new pod template up (lastAppliedSpec), and ends a run
// (promoted or rolled back) and starts the next, as MakeStatusConditions writes them.
import type { KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import {
  abort,
  abortPatch,
  approvalPatch,
  approve,
  canaryChecksum,
  clearAbortPatch,
  templateHash,
  type KubeClient,
} from '@greenlight/core';
import type { ApiServer } from '@greenlight/sandbox';
import { chatbotDeployment } from '@greenlight/test-kit/cluster';
import { writeCanaryStatus } from '@greenlight/test-kit/flagger';
import type { Random } from './random.ts';

export type WriteKind =
  | 'approve'
  | 'abort'
  | 'approve-other-revision'
  | 'abort-other-revision'
  | 'clear-approval'
  | 'clear-abort'
  | 'deploy-next'
  | 'deploy-earlier'
  | 'unstamp'
  | 'approve-and-abort-at-once'
  | 'approve-unbound'
  | 'strip-approver'
  | 'approve-earlier-binding'
  | 'abort-earlier-run'
  | 'abort-by-hand'
  | 'swap-image'
  | 'swap-image-unseen'
  | 'flagger-new-run'
  | 'flagger-step'
  | 'delete-target'
  | 'drop-watches';

export interface WriterTarget {
  namespace: string;
  name: string;
}

export interface ApprovalWriter {
  /** Writes made so far, by kind. */
  counts: Record<string, number>;
  /** Writes finished so far. */
  readonly total: number;
  /** Resolves once `total` has reached `count`. */
  reached(count: number): Promise<void>;
  stop(): Promise<void>;
}

export function startApprovalWriter(
  api: ApiServer,
  kube: KubeClient,
  targets: WriterTarget[],
  random: Random,
  options: { pauseMs?: number; allowDelete?: boolean; loops?: number } = {},
): ApprovalWriter {
  const counts: Record<string, number> = {};
  let total = 0;
  let waiters: { count: number; resolve: () => void }[] = [];
  const latest = new Map(targets.map((t) => [`${t.namespace}/${t.name}`, 1]));
  let stopped = false;

  const canaryRef = (t: WriterTarget) => ({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    namespace: t.namespace,
    name: t.name,
  });
  const deploymentRef = (t: WriterTarget) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: t.namespace,
    name: t.name,
  });
  const stamp = (t: WriterTarget, revision: string | null) =>
    kube.mergePatch(deploymentRef(t), {
      spec: { template: { metadata: { annotations: { 'greenlight.dev/revision': revision } } } },
    });
  const someRevision = (t: WriterTarget) => {
    const newest = latest.get(`${t.namespace}/${t.name}`) as number;
    // Stale (deployed before), current-ish, or future (not deployed yet).
    return `rev-${random.int(Math.max(0, newest - 3), newest + 2)}`;
  };
  const mark = { by: 'fuzz-writer', checksum: 'n0tth1s', at: new Date(0) };
  // Flagger's clock: one second a status write, so every run starts at its own second as
  // real analyses (an interval apart at least) do.
  let flaggerNow = Date.parse('2026-01-01T00:00:00Z');
  const flaggerClock = () => new Date((flaggerNow += 1000));
  const flagger = (t: WriterTarget, phase: string) =>
    writeCanaryStatus(api.url, t, phase, {}, flaggerClock());
  /**
   * Each Canary's earlier analyses: their checksum, start and the target's template then,
   * for an attacker to replay (an approval approve() wrote then would have carried them).
   */
  const earlier = new Map<string, { checksum: string; analysis: string; template?: string }[]>();
  const remember = async (t: WriterTarget) => {
    const canary = await kube.get<Canary>(canaryRef(t));
    const promoted = canary?.status?.conditions?.find((c) => c.type === 'Promoted');
    if (!canary || !promoted?.lastTransitionTime) return;
    const target = await kube.get<V1Deployment>(deploymentRef(t));
    const key = `${t.namespace}/${t.name}`;
    const seen = earlier.get(key) ?? [];
    seen.push({
      checksum: canaryChecksum(canary.status),
      analysis: promoted.lastTransitionTime,
      template: templateHash(target),
    });
    earlier.set(key, seen.slice(-5));
  };
  /** Another image under the same revision annotation, written as a plain Deployment patch. */
  const swapImage = (t: WriterTarget) =>
    kube.mergePatch(deploymentRef(t), {
      spec: {
        template: {
          spec: {
            containers: [
              { name: t.name, image: `registry.local/${t.name}:x${random.int(0, 999)}` },
            ],
          },
        },
      },
    });
  const current = async (t: WriterTarget) =>
    (
      await kube.get<
        {
          spec?: { template?: { metadata?: { annotations?: Record<string, string> } } };
        } & KubernetesObject
      >(deploymentRef(t))
    )?.spec?.template?.metadata?.annotations?.['greenlight.dev/revision'] ?? 'rev-1';

  async function once(): Promise<void> {
    const t = random.pick(targets);
    const key = `${t.namespace}/${t.name}`;
    const kind = random.weighted<WriteKind>({
      approve: 8,
      abort: 2,
      'approve-other-revision': 4,
      'abort-other-revision': 1,
      'clear-approval': 2,
      'clear-abort': 4,
      'deploy-next': 3,
      'deploy-earlier': 1.5,
      unstamp: 0.5,
      'approve-and-abort-at-once': 1,
      'approve-unbound': 1.5,
      'strip-approver': 1,
      'approve-earlier-binding': 1.5,
      'abort-earlier-run': 1,
      'abort-by-hand': 0.5,
      'swap-image': 1.5,
      'swap-image-unseen': 1.5,
      'flagger-new-run': 2,
      'flagger-step': 1,
      'delete-target': options.allowDelete === false ? 0 : 0.3,
      'drop-watches': 0.3,
    });
    counts[kind] = (counts[kind] ?? 0) + 1;
    const by = { note: `writer-${random.int(1, 3)}` };
    switch (kind) {
      case 'approve':
        // approve() refuses an aborted revision and a target without a stamp: both fine here.
        return void (await approve(kube, t, by).catch(() => undefined));
      case 'abort':
        return void (await abort(kube, t, by).catch(() => undefined));
      case 'approve-other-revision':
        return void (await kube.mergePatch(
          canaryRef(t),
          approvalPatch({ ...mark, revision: someRevision(t) }),
        ));
      case 'abort-other-revision':
        return void (await kube.mergePatch(
          canaryRef(t),
          abortPatch({ ...mark, revision: someRevision(t) }),
        ));
      case 'clear-approval':
        return void (await kube.mergePatch(canaryRef(t), {
          metadata: {
            annotations: {
              'greenlight.dev/approved-revision': null,
              'greenlight.dev/approved-checksum': null,
              'greenlight.dev/approved-analysis': null,
              'greenlight.dev/approved-template': null,
              'greenlight.dev/approved-by': null,
              'greenlight.dev/approved-note': null,
              'greenlight.dev/approved-at': null,
            },
          },
        }));
      case 'clear-abort':
        return void (await kube.mergePatch(canaryRef(t), clearAbortPatch()));
      case 'approve-unbound':
        // By hand: the revision under analysis, no checksum, no analysis, no template.
        return void (await kube.mergePatch(canaryRef(t), {
          metadata: {
            annotations: {
              'greenlight.dev/approved-revision': await current(t),
              'greenlight.dev/approved-checksum': null,
              'greenlight.dev/approved-analysis': null,
              'greenlight.dev/approved-template': null,
            },
          },
        }));
      case 'strip-approver':
        // A standing approval edited by someone who may patch Canaries: its approver (and
        // note) removed, or its template, the rest of its binding left as it was.
        return void (await kube.mergePatch(canaryRef(t), {
          metadata: {
            annotations: random.chance(0.6)
              ? { 'greenlight.dev/approved-by': null, 'greenlight.dev/approved-note': null }
              : { 'greenlight.dev/approved-template': null },
          },
        }));
      case 'approve-earlier-binding': {
        // A copy of an approval given for an earlier analysis, on the revision under analysis.
        const old = earlier.get(key);
        if (!old?.length) return;
        return void (await kube.mergePatch(
          canaryRef(t),
          approvalPatch({ ...mark, ...random.pick(old), revision: await current(t) }),
        ));
      }
      case 'abort-earlier-run': {
        // An abort of the revision under analysis, given in an earlier run of it: it must
        // roll back nothing now, nor hold the promotion.
        const old = earlier.get(key);
        if (!old?.length) return;
        const { checksum, analysis } = random.pick(old);
        return void (await kube.mergePatch(
          canaryRef(t),
          abortPatch({ ...mark, checksum, analysis, revision: await current(t) }),
        ));
      }
      case 'abort-by-hand':
        // An abort of the revision under analysis naming no run: it acts on the revision.
        return void (await kube.mergePatch(
          canaryRef(t),
          abortPatch({ ...mark, revision: await current(t) }),
        ));
      case 'swap-image':
        // Another pod template under the same revision annotation; Flagger picks it up.
        await swapImage(t);
        await remember(t);
        return void (await flagger(t, 'Progressing'));
      case 'swap-image-unseen':
        // The same, inside the window before Flagger's next check: its status (and so the
        // checksum it sends) still names the template it analysed, while the target — which
        // Flagger's Promote copies as it is — holds another. Flagger notices at a later write.
        return void (await swapImage(t));
      case 'flagger-new-run':
        // The run ends — promoted or rolled back — and the next one begins.
        await remember(t);
        await flagger(t, random.pick(['Succeeded', 'Failed']));
        return void (await flagger(t, random.pick(['Progressing', 'WaitingPromotion'])));
      case 'flagger-step':
        return void (await flagger(
          t,
          random.pick(['Progressing', 'WaitingPromotion', 'Promoting', 'Finalising']),
        ));
      case 'deploy-next': {
        const next = (latest.get(key) as number) + 1;
        latest.set(key, next);
        await stamp(t, `rev-${next}`);
        await remember(t);
        return void (await flagger(t, 'Progressing'));
      }
      case 'deploy-earlier':
        await stamp(t, `rev-${random.int(0, latest.get(key) as number)}`);
        return void (await flagger(t, 'Progressing'));
      case 'unstamp':
        return void (await stamp(t, random.pick([null, '', '   '])));
      case 'approve-and-abort-at-once':
        await Promise.all([
          approve(kube, t, by).catch(() => undefined),
          abort(kube, t, by).catch(() => undefined),
        ]);
        return;
      case 'delete-target': {
        const path = `/apis/apps/v1/namespaces/${t.namespace}/deployments/${t.name}`;
        await fetch(`${api.url}${path}`, { method: 'DELETE' });
        await new Promise((resolve) => setTimeout(resolve, random.int(0, 5)));
        const revision = `rev-${latest.get(key)}`;
        return void (await kube.apply(
          chatbotDeployment(t.name, t.namespace, revision) as KubernetesObject,
        ));
      }
      case 'drop-watches':
        api.disconnectWatches();
        return;
    }
  }

  // Several loops, so that writes also race each other (approve against abort, a deploy
  // against an approval of the revision it replaces).
  const running = Array.from({ length: options.loops ?? 3 }, async () => {
    while (!stopped) {
      // A write may lose a race with another loop's (a patch of a target being deleted).
      await once().catch(() => void (counts['lost-race'] = (counts['lost-race'] ?? 0) + 1));
      total++;
      waiters = waiters.filter((w) => (w.count <= total ? void w.resolve() : true));
      await new Promise((resolve) => setTimeout(resolve, random.int(0, options.pauseMs ?? 2)));
    }
  });

  return {
    counts,
    get total() {
      return total;
    },
    reached: (count) =>
      count <= total
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ count, resolve })),
    stop: async () => {
      stopped = true;
      await Promise.all(running);
      for (const w of waiters) w.resolve();
    },
  };
}
