import type { Canary, CanaryCondition, CanaryPhase, CanaryStatus } from 'flagger-types';

// The Canary status writes of Flagger (pkg/canary/status.go) as pure functions: each takes
// the Canary as the scheduler read it at the start of the run and returns the fields
// Flagger changes, to be merge-patched onto `/status`. Flagger writes the whole status
// with UpdateStatus; nobody else writes a Canary's status, so a patch of the fields it
// changes ends the same.

export type StatusPatch = Partial<CanaryStatus>;

/** Fields SyncStatus takes from its caller; everything else it recomputes. */
export interface SyncInput {
  phase: CanaryPhase;
  canaryWeight?: number;
  failedChecks?: number;
  iterations?: number;
}

/** metav1.Now() as it serialises: RFC 3339, whole seconds. */
export function kubeTime(now: Date): string {
  return now.toISOString().replace(/\.\d+Z$/, 'Z');
}

/**
 * SyncStatus: phase, weight, failed checks and iterations as given (zero when left out),
 * `lastAppliedSpec` the hash of the target's pod template, and on Initialized also
 * `lastPromotedSpec`.
 */
export function syncStatus(
  canary: Canary,
  input: SyncInput,
  specHash: string,
  now: Date,
): StatusPatch {
  const patch: StatusPatch = {
    phase: input.phase,
    canaryWeight: input.canaryWeight ?? 0,
    failedChecks: input.failedChecks ?? 0,
    iterations: input.iterations ?? 0,
    lastAppliedSpec: specHash,
    lastTransitionTime: kubeTime(now),
    // Flagger tracks ConfigMaps and Secrets here; the sandbox tracks none.
    trackedConfigs: {},
  };
  if (input.phase === 'Initialized') patch.lastPromotedSpec = specHash;
  const conditions = promotedCondition(canary, input.phase, now);
  if (conditions) patch.conditions = conditions;
  return patch;
}

/**
 * SetStatusPhase. Outside Progressing, Waiting and Promoting it zeroes `canaryWeight` and
 * `iterations` — hence Flagger's quirk that `canaryWeight` reads 0 in WaitingPromotion while
 * the route keeps the canary at max weight — and in WaitingPromotion it sets `iterations`
 * to `analysis.iterations - 1` (-1 for a canary without iterations).
 */
export function setPhase(canary: Canary, phase: CanaryPhase, now: Date): StatusPatch {
  const patch: StatusPatch = { phase, lastTransitionTime: kubeTime(now) };
  if (phase !== 'Progressing' && phase !== 'Waiting' && phase !== 'Promoting') {
    patch.canaryWeight = 0;
    patch.iterations = 0;
    if (phase === 'WaitingPromotion') {
      patch.iterations = (canary.spec.analysis?.iterations ?? 0) - 1;
    }
  }
  if (phase === 'Initialized' || phase === 'Succeeded') {
    patch.lastPromotedSpec = canary.status?.lastAppliedSpec ?? '';
  }
  const conditions = promotedCondition(
    { ...canary, status: { ...canary.status, ...patch } },
    phase,
    now,
  );
  if (conditions) patch.conditions = conditions;
  return patch;
}

/** SetStatusFailedChecks, SetStatusWeight, SetStatusIterations: one field and the time. */
export function setField(
  field: 'failedChecks' | 'canaryWeight' | 'iterations',
  value: number,
  now: Date,
): StatusPatch {
  return { [field]: value, lastTransitionTime: kubeTime(now) };
}

/** setPhaseInitializing: the first write, for a Canary without conditions. */
export function initializing(canary: Canary, now: Date): StatusPatch {
  const patch: StatusPatch = { phase: 'Initializing', lastTransitionTime: kubeTime(now) };
  const conditions = promotedCondition(canary, 'Initializing', now);
  if (conditions) patch.conditions = conditions;
  return patch;
}

/**
 * MakeStatusConditions: the one `Promoted` condition for `phase`, or undefined when the
 * current one already has the same status and reason (then Flagger leaves it alone).
 */
export function promotedCondition(
  canary: Canary,
  phase: CanaryPhase,
  now: Date,
): CanaryCondition[] | undefined {
  const kind = canary.spec.targetRef.kind;
  const [status, message] = CONDITIONS[phase]?.(kind) ?? [
    'Unknown',
    `New ${kind} detected, starting initialization.`,
  ];
  const current = canary.status?.conditions?.find((condition) => condition.type === 'Promoted');
  if (current && current.status === status && current.reason === phase) return undefined;
  const at = kubeTime(now);
  const lastTransitionTime =
    current && current.status === status ? (current.lastTransitionTime ?? at) : at;
  return [
    { type: 'Promoted', status, lastUpdateTime: at, lastTransitionTime, message, reason: phase },
  ];
}

type ConditionStatus = CanaryCondition['status'];

const CONDITIONS: Partial<Record<CanaryPhase, (kind: string) => [ConditionStatus, string]>> = {
  Initializing: (kind) => ['Unknown', `New ${kind} detected, starting initialization.`],
  Initialized: (kind) => ['True', `${kind} initialization completed.`],
  Waiting: () => ['Unknown', 'Waiting for approval.'],
  WaitingPromotion: () => ['Unknown', 'Waiting for approval.'],
  Progressing: () => ['Unknown', 'New revision detected, progressing canary analysis.'],
  Promoting: () => ['Unknown', 'Canary analysis completed, starting primary rolling update.'],
  Finalising: () => ['Unknown', 'Canary analysis completed, routing all traffic to primary.'],
  Succeeded: () => ['True', 'Canary analysis completed successfully, promotion finished.'],
  Failed: (kind) => ['False', `Canary analysis failed, ${kind} scaled to zero.`],
};
