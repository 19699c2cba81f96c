import type { CanaryAnalysis } from 'flagger-types';
import type { CanaryOptions } from './options.ts';

/**
 * The one field (or pair) of `analysis` that picks Flagger's strategy: `iterations` without
 * `match` is blue/green, `stepWeight` + `maxWeight` or `stepWeights` is a canary. The CRD
 * allows exactly one of iterations / stepWeight / stepWeights.
 */
export function renderStrategy(
  options: CanaryOptions,
): Pick<CanaryAnalysis, 'iterations' | 'stepWeight' | 'maxWeight' | 'stepWeights'> {
  if (options.strategy === 'blue-green') return { iterations: options.iterations };
  if (options.stepWeights !== undefined) return { stepWeights: [...options.stepWeights] };
  return { stepWeight: options.stepWeight, maxWeight: options.maxWeight };
}
