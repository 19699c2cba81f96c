import type { V1Deployment } from '@kubernetes/client-node';
import { FLAGGER_API_VERSION, type Canary } from 'flagger-types';
import { UserError } from '../errors.ts';
import { describeWriter, whoAmI, type CanaryRef } from '../approval/mark.ts';
import { KubeApiError } from '../kube/errors.ts';
import { retrying } from '../kube/retries.ts';
import type { KubeClient } from '../kube/types.ts';
import { rolloutObjects } from '../rollout/read.ts';
import { REVISION_ANNOTATION, revisionOf } from '../revision.ts';
import { rollbackPatch, type RollbackMark } from './annotations.ts';
import { rollbackTarget } from './choose.ts';
import type { PromotedRevision } from './history.ts';
import { primaryRan, type Proof } from './proof.ts';
import { recordPromoted } from './record.ts';
import { untilPromoted } from './until-promoted.ts';

// Rollback after promotion (docs/design.md, "Rollback after promotion"): point the target
// Deployment back at a revision Greenlight recorded as promoted — its images and its
// revision stamp — so Flagger analyses it again like any deploy, approval gate included.
// Only `skipAnalysis`, an explicit option, has Flagger promote it at once; the gate chart's
// admission policies let only approvers turn that on, so the deploy credential gains nothing.

export interface RollbackOptions {
  /** The revision to bring back; default: the newest recorded one the primary does not run. */
  to?: string;
  /** Promote without an analysis (spec.skipAnalysis for this run, restored after). */
  skipAnalysis?: boolean;
  /** For whom or why, beside the identity the API server authenticated. */
  note?: string;
  now?: Date;
  /** With skipAnalysis: how long to wait for Flagger's promotion before restoring (ms). */
  promotionTimeoutMs?: number;
  /** With skipAnalysis: stop waiting early (the analysis is restored all the same). */
  signal?: AbortSignal;
}

export interface RollbackResult {
  /** The revision brought back, and what the primary ran before. */
  revision: string;
  from: string;
  images: Record<string, string>;
  /** The Canary after the audit annotations were written. */
  canary: Canary;
  /** Whether the Event saying who did it was recorded. */
  recorded: boolean;
  /** With skipAnalysis: whether the primary ran `revision` before the analysis came back. */
  promoted?: boolean;
}

/** Phases in which Flagger is rolling a revision out: a rollback would cut into that run. */
const IN_PROGRESS = new Set([
  '',
  'Initializing',
  'Progressing',
  'Waiting',
  'WaitingPromotion',
  'Promoting',
  'Finalising',
]);

/** What a rollback of one Canary would do, checked: the refusals come from here. */
export interface RollbackPlan {
  canary: Canary;
  /** The revision the primary runs now. */
  from?: string;
  /** The recorded promotion to bring back. */
  entry: PromotedRevision;
}

/**
 * Reads Canary `ref` and its Deployments and says which recorded revision a rollback brings
 * back, or throws the UserError naming why none: no such Canary, a rollout under way, no
 * earlier revision recorded, `to` never promoted, or — with `skipAnalysis` — an entry (or a
 * target pod spec) the primary's ReplicaSets do not show it ran (proof.ts). Writes nothing.
 */
export async function planRollback(
  kube: KubeClient,
  ref: CanaryRef,
  to?: string,
  { skipAnalysis = false }: { skipAnalysis?: boolean } = {},
): Promise<RollbackPlan & { target?: V1Deployment }> {
  const id = `${ref.namespace}/${ref.name}`;
  const canary = await kube.get<Canary>({
    apiVersion: FLAGGER_API_VERSION,
    kind: 'Canary',
    ...ref,
  });
  if (!canary) {
    throw new UserError(`there is no Canary ${id}`, {
      hint: 'Check the namespace and the name (kubectl get canaries -A lists them)',
    });
  }
  const objects = rolloutObjects(canary);
  const [target, primary] = await Promise.all([
    kube.get<V1Deployment>(objects.target),
    kube.get<V1Deployment>(objects.primary),
  ]);
  const from = revisionOf(primary);
  refuseInProgress(canary, id, revisionOf(target), from);
  const entry = rollbackTarget(canary, from, to);
  if (entry instanceof UserError) throw entry;
  const containers = containersPatch(target, entry, id);
  if (skipAnalysis) {
    const wouldRun = target?.spec?.template?.spec && { ...target.spec.template.spec, containers };
    refuseUnproven(
      await primaryRan(kube, primary, entry, wouldRun),
      entry,
      id,
      objects.primary.name,
    );
  }
  return { canary, ...(from ? { from } : {}), entry, ...(target ? { target } : {}) };
}

/**
 * Rolls Canary `ref` back to a recorded promotion (planRollback's), records who did it on
 * the Canary and in an Event; with `skipAnalysis`, waits for Flagger's promotion and turns
 * the analysis back on.
 */
export async function rollback(
  kube: KubeClient,
  ref: CanaryRef,
  options: RollbackOptions = {},
): Promise<RollbackResult> {
  const id = `${ref.namespace}/${ref.name}`;
  const canaryRef = { apiVersion: FLAGGER_API_VERSION, kind: 'Canary', ...ref };
  const { canary, from, entry, target } = await planRollback(kube, ref, options.to, {
    skipAnalysis: options.skipAnalysis === true,
  });
  const objects = rolloutObjects(canary);
  const containers = containersPatch(target, entry, id);
  const by = await whoAmI(kube);
  const note = options.note?.trim() || undefined;

  // What runs now stays on record, so the rollback itself can be undone the same way.
  await recordPromoted(kube, canary, options.now);
  const skip = options.skipAnalysis === true;
  const skipping = canary.spec.skipAnalysis === true;
  // First, so an admission refusal (only approvers may skip) leaves everything as it was.
  if (skip && !skipping) {
    await setSkipAnalysis(kube, canaryRef, true).catch((error: unknown) => {
      throw skipRefused(error, id);
    });
  }
  // A rollback without the option is analysed even where skipAnalysis was left on (a skip
  // cut short): anyone may turn it off, only approvers on.
  if (!skip && skipping) await setSkipAnalysis(kube, canaryRef, false);
  try {
    await retrying(() =>
      kube.mergePatch(objects.target, {
        spec: {
          template: {
            metadata: { annotations: { [REVISION_ANNOTATION]: entry.revision } },
            spec: { containers },
          },
        },
      }),
    );
  } catch (error) {
    if (skip) await setSkipAnalysis(kube, canaryRef, false);
    throw error;
  }

  const mark: RollbackMark = {
    revision: entry.revision,
    from: from ?? '',
    by,
    ...(note ? { note } : {}),
    at: (options.now ?? new Date()).toISOString(),
    skippedAnalysis: options.skipAnalysis === true,
  };
  const audited = await retrying(() => kube.mergePatch<Canary>(canaryRef, rollbackPatch(mark)));
  const how = mark.skippedAnalysis ? ', skipping the analysis' : '; Flagger analyses it again';
  const recorded = await retrying(() =>
    kube.recordEvent(audited, {
      type: 'Warning',
      reason: 'RollbackToRevision',
      message: `${describeWriter(mark)} rolled back from revision ${mark.from || 'unknown'} to ${mark.revision} (recorded promoted ${entry.at})${how}`,
      component: 'greenlight',
      key: `rollback ${id} ${mark.revision} ${by} ${mark.at}`,
    }),
  ).then(
    () => true,
    () => false,
  );
  const result: RollbackResult = {
    revision: entry.revision,
    from: mark.from,
    images: entry.images,
    canary: audited,
    recorded,
  };
  if (!skip) return result;
  try {
    result.promoted = await untilPromoted(kube, objects.primary, entry.revision, {
      timeoutMs: options.promotionTimeoutMs ?? 5 * 60_000,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } finally {
    // Never left on: the next deploy must be analysed.
    await setSkipAnalysis(kube, canaryRef, false);
  }
  return result;
}

function refuseInProgress(
  canary: Canary,
  id: string,
  revision: string | undefined,
  promoted: string | undefined,
): void {
  const phase = canary.status?.phase ?? '';
  if (IN_PROGRESS.has(phase)) {
    throw new UserError(
      `Flagger is rolling out revision ${revision ?? 'unknown'} of Canary ${id} (phase ${phase || 'not reported yet'}), so a rollback would cut into that run`,
      {
        field: 'phase',
        hint: `Abort it (greenlight abort ${id}): Flagger then keeps the primary on ${promoted ?? 'the promoted revision'}; or wait for it to end (greenlight watch ${id}) and roll back then`,
      },
    );
  }
  // Deployed but not yet picked up: Flagger would analyse it next.
  if (
    phase !== 'Failed' &&
    revision !== undefined &&
    promoted !== undefined &&
    revision !== promoted
  ) {
    throw new UserError(
      `revision ${revision} was deployed to Canary ${id} and Flagger has not started on it yet`,
      {
        field: 'phase',
        hint: `Wait for Flagger to start its analysis and abort it (greenlight abort ${id}), or let it finish, then roll back`,
      },
    );
  }
}

/** The target's containers with each recorded image back; refused when none matches. */
function containersPatch(target: V1Deployment | undefined, entry: PromotedRevision, id: string) {
  const containers = target?.spec?.template?.spec?.containers ?? [];
  if (!containers.some((c) => c.name in entry.images)) {
    throw new UserError(
      `the target Deployment of Canary ${id} has none of the containers revision ${entry.revision} was recorded with (${Object.keys(entry.images).join(', ')})`,
      { field: 'to', hint: 'Redeploy the commit you want instead (run the deploy on it)' },
    );
  }
  // A merge patch replaces lists whole: every container, only the recorded images changed.
  return containers.map((c) =>
    c.name in entry.images ? { ...c, image: entry.images[c.name] } : c,
  );
}

/** With skipAnalysis: refused unless the primary ran exactly this (proof.ts). */
function refuseUnproven(proof: Proof, entry: PromotedRevision, id: string, primary: string) {
  if (proof === 'ran') return;
  const hint = 'Roll back with the analysis (leave out the skip), or redeploy the commit you want';
  if (proof === 'never-ran') {
    throw new UserError(
      `revision ${entry.revision} as recorded on Canary ${id} (${imagesText(entry)}) is not among what ${primary} ran, as its ReplicaSets show, so it is not promoted without an analysis: the record is anyone's who may deploy to write`,
      { field: 'skipAnalysis', hint },
    );
  }
  throw new UserError(
    `the target Deployment of Canary ${id} differs from what ${primary} ran as revision ${entry.revision} beyond the images (pod spec ${proof.differs.join(', ')}), so it is not promoted without an analysis: a rollback brings back only the images`,
    { field: 'skipAnalysis', hint },
  );
}

function imagesText(entry: PromotedRevision): string {
  return Object.entries(entry.images)
    .map(([name, image]) => `${name}=${image}`)
    .join(', ');
}

function setSkipAnalysis(
  kube: KubeClient,
  ref: CanaryRef & { apiVersion: string; kind: string },
  on: boolean,
) {
  return retrying(() => kube.mergePatch(ref, { spec: { skipAnalysis: on } }));
}

/** The API server's refusal to skip the analysis (the gate chart's keep-gate policy), worded. */
function skipRefused(error: unknown, id: string): unknown {
  if (!(error instanceof KubeApiError) || (error.code !== 403 && error.code !== 422)) return error;
  return new UserError(
    `the Kubernetes API refused to turn spec.skipAnalysis on for Canary ${id}, so nothing was rolled back: ${error.message}`,
    {
      field: 'skipAnalysis',
      hint: 'Roll back with the analysis (leave out the skip), or have an approver skip it (the gate chart lets only approvers)',
    },
  );
}
