import { deploymentStrategy, maxWeight, type Canary } from 'flagger-types';

/**
 * How the rollout view counts progress: `canary` in weight steps, `blue-green` in analysis
 * runs. Flagger's own strategy (deploymentStrategy, canary.go DeploymentStrategy) has a
 * third, A/B testing (`iterations` + `match`), which runs iterations like blue/green and is
 * counted, and shown, as blue-green.
 */
export type Strategy = 'canary' | 'blue-green';

export interface StepProgress {
  current: number;
  total: number;
}

/** Flagger's strategy as the view counts it: A/B testing and blue/green both run iterations. */
export function strategyOf(canary: Canary): Strategy {
  return deploymentStrategy(canary) === 'canary' ? 'canary' : 'blue-green';
}

// Phases in which every analysis step is done: Flagger only asks confirm-promotion (and
// waits in WaitingPromotion) once the canary reached max weight or ran all iterations.
const ALL_STEPS_DONE = new Set(['WaitingPromotion', 'Promoting', 'Finalising', 'Succeeded']);

/** How far the analysis got, from the live green weight (canary) or `status.iterations` (blue/green). */
export function stepProgress(canary: Canary, greenWeight: number): StepProgress {
  const analysis = canary.spec?.analysis ?? {};
  const phase = canary.status?.phase ?? '';
  const done = (total: number): StepProgress => ({ current: total, total });

  if (strategyOf(canary) === 'blue-green') {
    const total = analysis.iterations ?? 0;
    if (ALL_STEPS_DONE.has(phase)) return done(total);
    return { current: Math.min(total, Math.max(0, canary.status?.iterations ?? 0)), total };
  }

  const stepWeights = analysis.stepWeights ?? [];
  if (stepWeights.length > 0) {
    const total = stepWeights.length;
    if (ALL_STEPS_DONE.has(phase)) return done(total);
    // Steps reached: the weights of the list at or below the live green weight.
    const green = Math.round(greenWeight);
    return { current: stepWeights.filter((weight) => weight > 0 && weight <= green).length, total };
  }

  const stepWeight = analysis.stepWeight ?? 0;
  if (stepWeight <= 0) return { current: 0, total: 0 };
  // Flagger's maxWeight defaults to 100; the last step is clamped to it, hence the ceiling.
  const total = Math.ceil(maxWeight(canary) / stepWeight);
  if (ALL_STEPS_DONE.has(phase)) return done(total);
  return { current: Math.min(total, Math.ceil(Math.round(greenWeight) / stepWeight)), total };
}
