import { parseWeight } from 'flagger-types';
import type { HTTPRoute } from 'flagger-types';
import type { BackendWeights, ServiceNames } from './route-backends.ts';

/**
 * Primary and canary weights of Flagger's Gateway API HTTPRoute (`provider:
 * gatewayapi:v1beta1`), read as Flagger's GatewayAPIV1Beta1Router.GetRoutes does: from
 * the rules that hold both backends, the last one winning — A/B testing adds match rules
 * with the canary alone, which say nothing about the split (fluxcd/flagger
 * pkg/router/gateway_api_v1beta1.go). A backendRef without a weight weighs 1 (Gateway
 * API default).
 */
export function httpRouteWeights(
  route: HTTPRoute,
  names: ServiceNames,
): BackendWeights | undefined {
  let found: BackendWeights | undefined;
  for (const rule of route.spec?.rules ?? []) {
    const refs = rule.backendRefs ?? [];
    const primary = refs.find((ref) => ref.name === names.primary);
    const canary = refs.find((ref) => ref.name === names.canary);
    if (!primary || !canary) continue;
    const weights = {
      primary: parseWeight(primary.weight ?? 1),
      canary: parseWeight(canary.weight ?? 1),
    };
    if (weights.primary !== undefined && weights.canary !== undefined) {
      found = { primary: weights.primary, canary: weights.canary };
    }
  }
  return found;
}
