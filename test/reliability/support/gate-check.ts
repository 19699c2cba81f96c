// Checks one gate answer against what the gate saw when it decided.
import type { FuzzRequest } from './gate-requests.ts';
import { mayOpen, revisionUnderAnalysis } from './gate-oracle.ts';
import type { ObjectHistory } from './object-history.ts';
import { relevant } from './object-history.ts';
import type { Observation } from './observed-gate.ts';
import type { RawResponse } from './raw-http.ts';

/** Why a 200 was not earned, or undefined when it was. */
export function unearnedOpen(
  request: FuzzRequest,
  response: RawResponse,
  observation: Observation | undefined,
  history: ObjectHistory,
): string | undefined {
  if (!request.asks) return `200 for a ${request.category} request`;
  if (!observation?.decision) return 'no decision was recorded for it';
  const { canary, target, decision, synced } = observation;
  if (!decision.allowed) return `the decision recorded says ${decision.code}`;
  if (!synced) return 'the caches were not synced';
  // The gate confirms an allow of its cache on a live read and answers what that decides:
  // both must have allowed it.
  if (observation.live && !mayOpen(request.asks, observation.liveCanary, observation.liveTarget)) {
    return `the live Canary (${JSON.stringify(observation.liveCanary?.metadata?.annotations)}) and target revision ${revisionUnderAnalysis(observation.liveTarget)} do not allow it`;
  }
  if (!mayOpen(request.asks, canary, target)) {
    return `the Canary (${JSON.stringify(canary?.metadata?.annotations)}, phase ${canary?.status?.phase}, Promoted since ${canary?.status?.conditions?.[0]?.lastTransitionTime}), target revision ${revisionUnderAnalysis(target)} and Flagger's checksum ${request.asks.checksum} do not allow it`;
  }
  const answered = (JSON.parse(response.body) as { revision?: string }).revision;
  if (answered !== revisionUnderAnalysis(target)) return `answered for revision ${answered}`;
  return stateNeverExisted(observation, history);
}

/**
 * Whether a refusal was one the protocol calls for: the objects the decision was made from
 * (the live ones when the gate confirmed its cache's allow on a live read) do not allow it.
 */
export function refusalCalledFor(
  asks: NonNullable<FuzzRequest['asks']>,
  observation: Observation,
): boolean {
  if (observation.live) return !mayOpen(asks, observation.liveCanary, observation.liveTarget);
  return !mayOpen(asks, observation.canary, observation.target);
}

/** Whether the objects a decision used are versions the API server really stored. */
export function stateNeverExisted(
  { canary, target, liveCanary, liveTarget }: Observation,
  history: ObjectHistory,
): string | undefined {
  for (const [kind, object] of [
    ['Canary', canary],
    ['Deployment', target],
    ['Canary', liveCanary],
    ['Deployment', liveTarget],
  ] as const) {
    if (!object) continue;
    const { namespace = '', name = '', resourceVersion = '' } = object.metadata ?? {};
    const stored = history.at(kind, namespace, name, resourceVersion);
    if (stored !== relevant(kind, object)) {
      return `the gate's ${kind} ${namespace}/${name}@${resourceVersion} differs from the stored one`;
    }
  }
  return undefined;
}
