// How the mesh resolves `<service>.<namespace>` to pods, as Linkerd's destination service
// does: a Service that is the apex of a TrafficSplit (linkerd provider) or the parent of an
// HTTPRoute (gatewayapi, GAMMA) is split over the backends by the weights Flagger wrote
// there (read by core's routeWeights, as Greenlight reads them everywhere) — and by nothing
// else; any other Service reaches the pods its selector picks.
// The split is a smooth weighted round robin (Linkerd balances randomly), so over any
// window the shares are the weights to within one request.
import type { KubeConfig, KubernetesObject, V1Service } from '@kubernetes/client-node';
import { ObjectCache, patternMatches, routeWeights } from '@greenlight/core';
import type { HTTPRoute, TrafficSplit } from 'flagger-types';
import type { Pod, Pods } from './pods.ts';

type Split = TrafficSplit & KubernetesObject;
type Route = HTTPRoute & KubernetesObject;
export type RequestHeaders = Record<string, string | string[] | undefined>;

interface HeaderMatch {
  type?: 'Exact' | 'RegularExpression';
  name: string;
  value: string;
}
type Rule = NonNullable<HTTPRoute['spec']['rules']>[number] & {
  matches?: { headers?: HeaderMatch[] }[];
};

/**
 * The HTTPRoute narrowed to the one rule a request takes, as the Gateway API says: a rule
 * matches when any of its matches does (none: every request), a match when every header
 * match does (names case-insensitive; Exact, or RegularExpression, RE2 here); among the
 * rules that match, the match with the most header matches wins, then the earlier rule.
 * Paths are not compared: every rule Flagger writes for Greenlight matches the prefix `/`.
 * Flagger's A/B rules send the testers' requests by the first rule and the rest by the second.
 */
function ruleFor(route: Route, headers: RequestHeaders): Route | undefined {
  const header = (name: string) => {
    const value = headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  const holds = (m: HeaderMatch) => {
    const value = header(m.name);
    if (value === undefined) return false;
    return m.type === 'RegularExpression' ? patternMatches(m.value, value) : value === m.value;
  };
  let best: { rule: Rule; specificity: number } | undefined;
  for (const rule of (route.spec.rules ?? []) as Rule[]) {
    const matches = rule.matches?.length ? rule.matches : [{}];
    for (const match of matches) {
      const wanted = match.headers ?? [];
      if (!wanted.every(holds)) continue;
      if (!best || wanted.length > best.specificity) best = { rule, specificity: wanted.length };
    }
  }
  if (!best) return undefined;
  return { ...route, spec: { ...route.spec, rules: [best.rule] } };
}

export interface Routes {
  ready: Promise<void>;
  /**
   * The pod a request to `service` in `namespace` with `headers` (lowercase names, as Node
   * reads them) goes to; undefined: no endpoints.
   */
  pick(namespace: string, service: string, headers?: RequestHeaders): Pod | undefined;
  stop(): void;
}

export function startRoutes(kc: KubeConfig, pods: Pods): Routes {
  const services = new ObjectCache<V1Service>(kc, { apiVersion: 'v1', kind: 'Service' });
  const splits = new ObjectCache<Split>(kc, {
    apiVersion: 'split.smi-spec.io/v1alpha1',
    kind: 'TrafficSplit',
  });
  // Served as v1 and v1beta1 but stored once: one watch sees both.
  const routes = new ObjectCache<Route>(kc, {
    apiVersion: 'gateway.networking.k8s.io/v1beta1',
    kind: 'HTTPRoute',
  });
  const caches = [services, splits, routes] as ObjectCache[];
  const credit = new Map<string, number>();
  const turn = new Map<string, number>();

  /** The route Flagger wrote for `apex`: the TrafficSplit for it, or the HTTPRoute it parents. */
  const routeOf = (namespace: string, apex: string): Split | Route | undefined =>
    splits.list(namespace).find((s) => s.spec.service === apex) ??
    routes
      .list(namespace)
      .find((r) =>
        (r.spec.parentRefs ?? []).some(
          (p) =>
            p.kind === 'Service' && p.name === apex && (p.namespace ?? namespace) === namespace,
        ),
      );

  const backendsOf = (
    namespace: string,
    apex: string,
    headers: RequestHeaders,
  ): { service: string; weight: number }[] => {
    const found = routeOf(namespace, apex);
    const names = { apex, primary: `${apex}-primary`, canary: `${apex}-canary` };
    const route = found?.kind === 'HTTPRoute' ? ruleFor(found as Route, headers) : found;
    const weights = route && routeWeights(route, names);
    if (!weights) return [{ service: apex, weight: 1 }];
    return [
      { service: names.primary, weight: weights.primary },
      { service: names.canary, weight: weights.canary },
    ];
  };

  /** Smooth weighted round robin (nginx's): each backend gains its weight, the richest pays. */
  const chooseBackend = (
    namespace: string,
    apex: string,
    headers: RequestHeaders,
  ): string | undefined => {
    const backends = backendsOf(namespace, apex, headers).filter((b) => b.weight > 0);
    if (backends.length <= 1) return backends[0]?.service;
    const total = backends.reduce((sum, b) => sum + b.weight, 0);
    let best: { service: string; credit: number } | undefined;
    for (const b of backends) {
      const key = `${namespace}/${apex}/${b.service}`;
      const value = (credit.get(key) ?? 0) + b.weight;
      credit.set(key, value);
      if (!best || value > best.credit) best = { service: b.service, credit: value };
    }
    credit.set(`${namespace}/${apex}/${best!.service}`, best!.credit - total);
    return best!.service;
  };

  return {
    ready: Promise.all(caches.map((c) => c.start())).then(() => undefined),
    pick(namespace, service, headers = {}) {
      if (!services.get(namespace, service)) return undefined;
      const backend = chooseBackend(namespace, service, headers);
      const selector = backend ? services.get(namespace, backend)?.spec?.selector : undefined;
      const endpoints = selector ? pods.select(namespace, selector) : [];
      if (endpoints.length === 0) return undefined;
      const key = `${namespace}/${backend}`;
      const n = turn.get(key) ?? 0;
      turn.set(key, n + 1);
      return endpoints[n % endpoints.length];
    },
    stop() {
      for (const cache of caches) cache.stop();
    },
  };
}
