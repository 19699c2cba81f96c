// Which provider each function's Canary gets (core's chooseProvider): without a `provider`
// input, a function whose Canary exists keeps the provider it has, so the default moving to
// gatewayapi never moves a team's routing; plan and deploy say when a given one changes it.
import { FLAGGER_API_VERSION, type Canary } from 'flagger-types';
import {
  chooseProvider,
  FLAGGER_PROVIDERS,
  LINKERD_DEPRECATION,
  type KubeClient,
  type ProviderChoice,
} from '@greenlight/core';
import type { Inputs } from '../inputs/inputs.ts';
import { spelledAsInputs } from '../inputs/inputs.ts';

export interface FunctionProvider extends ProviderChoice {
  /** The function's Canary as it is, before this run; undefined: none yet. */
  live?: Canary;
}

/** Reads the function's live Canary and chooses; a refusal names the inputs. */
export async function providerFor(
  kube: KubeClient,
  inputs: Pick<Inputs, 'canary' | 'canaryGiven'>,
  name: string,
): Promise<FunctionProvider> {
  const ref = { apiVersion: FLAGGER_API_VERSION, kind: 'Canary' };
  const live = await kube.get<Canary>({ ...ref, namespace: inputs.canary.namespace, name });
  try {
    const choice = chooseProvider(inputs.canaryGiven, inputs.canary, live?.spec?.provider);
    return { ...choice, ...(live ? { live } : {}) };
  } catch (err) {
    throw spelledAsInputs(err);
  }
}

/** The log's line on a function's provider: kept, changed, or the default for a new one. */
export function providerLine(name: string, choice: ProviderChoice): string {
  const provider = FLAGGER_PROVIDERS[choice.options.provider];
  if (choice.changesFrom) {
    return `${name}: provider changes from ${FLAGGER_PROVIDERS[choice.changesFrom]} to ${provider} (input provider): Flagger routes it by ${routeOf(choice.options.provider)} instead of ${routeOf(choice.changesFrom)}`;
  }
  if (choice.source === 'live') return `${name}: provider ${provider}, kept from its Canary`;
  return `${name}: provider ${provider}${choice.source === 'default' ? ' (the default)' : ''}`;
}

/** The deprecation warning, once for a run that ships any function on linkerd. */
export function deprecationOf(choices: ProviderChoice[]): string | undefined {
  return choices.some((c) => c.options.provider === 'linkerd') ? LINKERD_DEPRECATION : undefined;
}

function routeOf(provider: ProviderChoice['options']['provider']): string {
  return provider === 'linkerd' ? 'an SMI TrafficSplit' : 'an HTTPRoute';
}
