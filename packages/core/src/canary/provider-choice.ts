// Which provider a function's Canary gets. The default moved from linkerd (SMI) to
// gatewayapi; a Canary that already runs keeps its own unless the team names one, so
// upgrading Greenlight never moves a team's routing behind its back.
import type { CanaryOptions, CanaryOptionsInput, CanaryProvider } from './options.ts';
import { resolveCanaryOptions } from './resolve-options.ts';
import { providerOf } from './routing.ts';

/** How the provider was chosen: given by the team, kept from the live Canary, or the default. */
export type ProviderSource = 'given' | 'live' | 'default';

export interface ProviderChoice {
  options: CanaryOptions;
  source: ProviderSource;
  /** The live Canary's provider when `options` changes it (only when given). */
  changesFrom?: CanaryProvider;
}

/**
 * `given`: the options as the team wrote them; `resolved`: `resolveCanaryOptions(given)`;
 * `liveProvider`: the live Canary's `spec.provider`, undefined when there is none. Re-resolves
 * with the live provider, so its defaults (the Prometheus address) and refusals (testers
 * need gatewayapi) hold for the provider the Canary really gets.
 */
export function chooseProvider(
  given: Partial<CanaryOptionsInput>,
  resolved: CanaryOptions,
  liveProvider: string | undefined,
): ProviderChoice {
  const live = liveProvider === undefined ? undefined : providerOf(liveProvider);
  if (given.provider !== undefined) {
    const changes = live !== undefined && live !== resolved.provider;
    return { options: resolved, source: 'given', ...(changes ? { changesFrom: live } : {}) };
  }
  if (live === undefined) return { options: resolved, source: 'default' };
  if (live === resolved.provider) return { options: resolved, source: 'live' };
  return { options: resolveCanaryOptions({ ...given, provider: live }), source: 'live' };
}
