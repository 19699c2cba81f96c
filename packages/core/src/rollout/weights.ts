import type { Canary, HTTPRoute, TrafficSplit } from 'flagger-types';
import { httpRouteWeights } from './httproute.ts';
import type { BackendWeights, ServiceNames } from './route-backends.ts';
import { trafficSplitWeights } from './trafficsplit.ts';

export type { BackendWeights, ServiceNames } from './route-backends.ts';

/** The live split in percent; `source` says where it was read. */
export interface Weights {
  /** Percent of traffic on `<name>-primary`. */
  blue: number;
  /** Percent of traffic on the candidate `<name>-canary`. */
  green: number;
  /**
   * `route`: the TrafficSplit/HTTPRoute, the truth. `status`: `status.canaryWeight`, when
   * there is no route or it names neither backend. `none`: nothing to read (no route, no status).
   */
  source: 'route' | 'status' | 'none';
}

export function serviceNames(canary: Canary): ServiceNames {
  const apex =
    canary.spec?.service?.name || canary.spec?.targetRef?.name || canary.metadata?.name || '';
  return { apex, primary: `${apex}-primary`, canary: `${apex}-canary` };
}

/**
 * The live weights. Read from the route, because Flagger resets `status.canaryWeight` to 0
 * in WaitingPromotion while the route keeps the canary at max weight (docs/design.md, "Flagger facts").
 * `status.canaryWeight` is the fallback when there is no route (or it names neither of
 * Flagger's backends), and `source` says so.
 */
export function liveWeights(canary: Canary, route?: TrafficSplit | HTTPRoute): Weights {
  const fromRoute = route ? routeWeights(route, serviceNames(canary)) : undefined;
  if (fromRoute) return toPercent(fromRoute);
  const canaryWeight = canary.status?.canaryWeight;
  if (typeof canaryWeight === 'number' && Number.isFinite(canaryWeight)) {
    const green = clampPercent(canaryWeight);
    return { blue: 100 - green, green, source: 'status' };
  }
  return { blue: 0, green: 0, source: 'none' };
}

/** The backends' raw weights as the route states them: the one reader of a route's split. */
export function routeWeights(
  route: TrafficSplit | HTTPRoute,
  names: ServiceNames,
): BackendWeights | undefined {
  if ('rules' in (route.spec ?? {}) || route.kind === 'HTTPRoute') {
    return httpRouteWeights(route as HTTPRoute, names);
  }
  return trafficSplitWeights(route as TrafficSplit, names);
}

function toPercent(weights: BackendWeights): Weights {
  // Negative weights are invalid (the CRDs say so); count them as no traffic.
  const primary = Math.max(0, weights.primary);
  const canary = Math.max(0, weights.canary);
  const total = primary + canary;
  // Both zero: nothing is routed to either (Flagger reports that as an error); say 0/0.
  if (total === 0) return { blue: 0, green: 0, source: 'route' };
  const green = round(clampPercent((canary / total) * 100));
  return { blue: round(100 - green), green, source: 'route' };
}

function clampPercent(value: number): number {
  return Math.min(100, Math.max(0, value));
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
