import type { CanaryAnalysis } from 'flagger-types';
import type { CanaryOptions } from './options.ts';
import { renderMatch } from './testers.ts';

/**
 * The fields of `analysis` that pick Flagger's strategy (canary.go DeploymentStrategy):
 * `iterations` with `match` is A/B testing (testers first), `iterations` alone blue/green,
 * `stepWeight` + `maxWeight` or `stepWeights` a canary, with `sessionAffinity` when sticky.
 * The CRD allows exactly one of iterations / stepWeight / stepWeights.
 */
export function renderStrategy(
  options: CanaryOptions,
): Pick<
  CanaryAnalysis,
  'iterations' | 'match' | 'stepWeight' | 'maxWeight' | 'stepWeights' | 'sessionAffinity'
> {
  if (options.strategy === 'ab-testing')
    return { iterations: options.iterations, match: renderMatch(options.testers) };
  if (options.strategy === 'blue-green') return { iterations: options.iterations };
  const sticky = options.sticky ? { sessionAffinity: { ...options.sticky } } : {};
  if (options.stepWeights !== undefined)
    return { stepWeights: [...options.stepWeights], ...sticky };
  return { stepWeight: options.stepWeight, maxWeight: options.maxWeight, ...sticky };
}
