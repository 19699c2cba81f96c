import type { Decision, DecisionCode } from '@greenlight/core';
import type { GateName } from './metrics.ts';

// What the gate says over HTTP. Anything in the cluster can reach the gate, so its answers
// carry what Flagger needs — the status, the code, the revision — and a sentence fixed per
// code that names nobody. decide()'s own reason names who approved or aborted; that goes
// only to the Event on the Canary, which takes RBAC to read (docs/design.md, "The approval
// protocol"). The sentences use nothing but what the caller sent (the Canary's namespace
// and name) and the code.

/** The gate's own codes, beside decide()'s: an allow the live read could not confirm. */
export type GateCode =
  /** A live read of the Canary or its target failed: no allow without one (503). */
  | 'LiveReadFailed'
  /** The live objects allow a different revision than the cache did (503). */
  | 'CacheBehind';

export interface PublicAnswer {
  allowed: boolean;
  code: DecisionCode | GateCode;
  reason: string;
  revision?: string;
}

type Sentence = (id: string, gate: GateName) => string;

const SENTENCES: Partial<Record<DecisionCode | GateCode, Sentence>> = {
  Approved: (id) => `The revision of Canary ${id} under analysis is approved.`,
  NotApproved: (id) => `Nobody has approved the revision of Canary ${id} under analysis yet.`,
  OtherRevision: (id, gate) =>
    `The ${gate === 'rollback' ? 'abort' : 'approval'} on Canary ${id} is for another revision than the one under analysis.`,
  Aborted: (id, gate) =>
    gate === 'rollback'
      ? `Rollback of the revision of Canary ${id} under analysis was requested.`
      : `The revision of Canary ${id} under analysis was aborted, so it will not be promoted.`,
  NotAborted: (id) => `Nobody has asked to roll back the revision of Canary ${id} under analysis.`,
  UnknownCanary: (id) =>
    `There is no Canary ${id} among those the gate watches. Check that the webhook reaches the gate of this Canary's cluster and that the gate watches namespace ${id.split('/')[0]} (--namespace, the chart's watchNamespace).`,
  UnknownTarget: (id) =>
    `The target Deployment of Canary ${id} does not exist, so no revision is under analysis.`,
  NoRevision: (id) =>
    `The target Deployment of Canary ${id} has no greenlight.dev/revision annotation on its pod template, so no approval can name the revision under analysis; deploy it with Greenlight.`,
  NotSynced: (id) =>
    `The gate is not synced with the Kubernetes API, so it cannot check Canary ${id}; Flagger will ask again (the gate's /readyz says why).`,
  LiveReadFailed: (id) =>
    `The gate could not confirm the decision for Canary ${id} with a live read of the Kubernetes API; Flagger will ask again.`,
  CacheBehind: (id) =>
    `The gate's cache is behind the Kubernetes API for Canary ${id}; Flagger will ask again.`,
};

/** The HTTP body for a decision: no approver, no reason text from the Canary. */
export function publicAnswer(
  gate: GateName,
  decision: Pick<Decision, 'allowed' | 'reason' | 'revision'> & { code: DecisionCode | GateCode },
  payload: unknown,
): PublicAnswer {
  const revision = decision.revision ? { revision: decision.revision } : {};
  // A malformed payload is refused before anything is looked up, so decide()'s sentence
  // (which field is wrong and how) comes from the caller's own body and nothing else.
  if (decision.code === 'BadPayload') {
    return { allowed: false, code: decision.code, reason: decision.reason, ...revision };
  }
  const sentence = SENTENCES[decision.code];
  const reason = sentence
    ? sentence(canaryId(payload), gate)
    : decision.allowed
      ? 'The gate allows it.'
      : "The gate refuses; the gate's Event on the Canary says why.";
  return { allowed: decision.allowed, code: decision.code, reason, ...revision };
}

/** `namespace/name` from a payload decide() accepted (so both are DNS-1123 labels). */
function canaryId(payload: unknown): string {
  const { namespace, name } = (payload ?? {}) as { namespace?: unknown; name?: unknown };
  return `${String(namespace)}/${String(name)}`;
}
