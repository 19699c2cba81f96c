import { parseWeight } from 'flagger-types';
import type { TrafficSplit } from 'flagger-types';
import type { BackendWeights, ServiceNames } from './route-backends.ts';

/**
 * Primary and canary weights of Flagger's SMI TrafficSplit (`provider: linkerd`), read as
 * Flagger's own SmiRouter.GetRoutes does: the backends named `<apex>-primary` and
 * `<apex>-canary` (fluxcd/flagger pkg/router/smi.go).
 */
export function trafficSplitWeights(
  split: TrafficSplit,
  names: ServiceNames,
): BackendWeights | undefined {
  let primary: number | undefined;
  let canary: number | undefined;
  for (const backend of split.spec?.backends ?? []) {
    if (backend.service === names.primary) primary = parseWeight(backend.weight);
    if (backend.service === names.canary) canary = parseWeight(backend.weight);
  }
  if (primary === undefined && canary === undefined) return undefined;
  return { primary: primary ?? 0, canary: canary ?? 0 };
}
