// The other writers of a busy cluster, on a seeded schedule: people approving and aborting
// (through core's protocol, and also behind its back with raw patches naming stale or
// future revisions), deploys moving the target to new or old revisions, a target losing
// its revision stamp or disappearing for a moment, and dropped watch connections.
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  abort,
  abortPatch,
  approvalPatch,
  approve,
  clearAbortPatch,
  type KubeClient,
} from '@greenlight/core';
import type { ApiServer } from '@greenlight/sandbox';
import { chatbotDeployment } from '../../support/cluster.ts';
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
  const mark = { by: 'fuzz-writer', at: new Date(0) };

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
      'delete-target': options.allowDelete === false ? 0 : 0.3,
      'drop-watches': 0.3,
    });
    counts[kind] = (counts[kind] ?? 0) + 1;
    const by = { by: `writer-${random.int(1, 3)}` };
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
              'greenlight.dev/approved-by': null,
              'greenlight.dev/approved-at': null,
            },
          },
        }));
      case 'clear-abort':
        return void (await kube.mergePatch(canaryRef(t), clearAbortPatch()));
      case 'deploy-next': {
        const next = (latest.get(key) as number) + 1;
        latest.set(key, next);
        return void (await stamp(t, `rev-${next}`));
      }
      case 'deploy-earlier':
        return void (await stamp(t, `rev-${random.int(0, latest.get(key) as number)}`));
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
