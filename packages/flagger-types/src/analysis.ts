// How Flagger v1.44 reads a Canary's analysis: the defaults, clamps and the strategy it picks.
// In Flagger these are methods on the API types (pkg/apis/flagger/v1beta1/canary.go) and the
// scheduler's weight helpers (pkg/controller/scheduler.go); here they sit beside the types so
// Greenlight's rollout view and the sandbox's simulated Flagger read a Canary the same way.
// Pure; every function tolerates a Canary read from a cluster with fields missing.
import type { Canary, CanaryAnalysis } from './canary.ts';
import { parseGoDuration } from './duration.ts';

/** A Canary as far as its analysis goes; any Canary is one. */
export interface AnalysedCanary {
  spec?: { analysis?: Partial<CanaryAnalysis> };
}

/** scheduler.go totalWeight: weights are percentages. */
export const TOTAL_WEIGHT = 100;

/** canary.go MetricInterval, used when a metric gives none. */
export const DEFAULT_METRIC_INTERVAL = '1m';

/** canary.go AnalysisInterval, when `interval` is missing or not a Go duration. */
const DEFAULT_INTERVAL_MS = 60_000;
/** GetAnalysisInterval never runs an analysis more often than every 10 s. */
const MIN_INTERVAL_MS = 10_000;
/** canary.go ProgressDeadlineSeconds. */
const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
/** canary.go PrimaryReadyThreshold / CanaryReadyThreshold, percent. */
const DEFAULT_READY_THRESHOLD = 100;

/** canary.go DeploymentStrategyCanary / BlueGreen / ABTesting. */
export type DeploymentStrategy = 'canary' | 'blue-green' | 'ab-testing';

function analysisOf(canary: AnalysedCanary): Partial<CanaryAnalysis> {
  return canary.spec?.analysis ?? {};
}

/**
 * canary.go DeploymentStrategy: `match` with `iterations` is A/B testing, `iterations` alone
 * blue/green, anything else (stepWeight, stepWeights, maxWeight, nothing) a canary.
 */
export function deploymentStrategy(canary: AnalysedCanary): DeploymentStrategy {
  const { iterations = 0, match = [] } = analysisOf(canary);
  if (match.length > 0 && iterations > 0) return 'ab-testing';
  if (iterations > 0) return 'blue-green';
  return 'canary';
}

/** canary.go GetAnalysisThreshold: failed checks that roll back, 1 unless set above 0. */
export function analysisThreshold(canary: AnalysedCanary): number {
  const threshold = analysisOf(canary).threshold ?? 0;
  return threshold > 0 ? threshold : 1;
}

/** canary.go GetAnalysisInterval: in ms, at least 10 s, 60 s when missing or unparsable. */
export function analysisIntervalMs(canary: AnalysedCanary): number {
  const text = analysisOf(canary).interval ?? '';
  const ms = text === '' ? undefined : parseGoDuration(text);
  if (ms === undefined) return DEFAULT_INTERVAL_MS;
  return Math.max(MIN_INTERVAL_MS, ms);
}

/** scheduler.go maxWeight: the last of stepWeights (at most 100), else maxWeight, else 100. */
export function maxWeight(canary: AnalysedCanary): number {
  const { stepWeights = [], maxWeight: max = 0 } = analysisOf(canary);
  if (stepWeights.length > 0) {
    return Math.min(TOTAL_WEIGHT, stepWeights[stepWeights.length - 1] as number);
  }
  return max > 0 ? max : TOTAL_WEIGHT;
}

/** scheduler.go nextStepWeight: how much weight the next step adds to `canaryWeight`. */
export function nextStepWeight(canary: AnalysedCanary, canaryWeight: number): number {
  const { stepWeights: steps = [], stepWeight = 0 } = analysisOf(canary);
  if (stepWeight > 0 || steps.length === 0) return stepWeight;

  const maxStep = TOTAL_WEIGHT - canaryWeight;
  // At 100 % any non-zero step moves the canary on to promotion, as the last stepWeight does.
  if (maxStep === 0) return 1;
  if (canaryWeight === 0) return Math.min(maxStep, steps[0] as number);
  for (let i = 0; i < steps.length - 1; i++) {
    if (steps[i] === canaryWeight) {
      return Math.min(maxStep, (steps[i + 1] as number) - canaryWeight);
    }
  }
  // A weight off the list (set by hand) jumps straight to 100.
  return maxStep;
}

/** canary.go GetProgressDeadlineSeconds. */
export function progressDeadlineSeconds(canary: Pick<Canary, 'spec'>): number {
  return canary.spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS;
}

/** canary.go GetAnalysisPrimaryReadyThreshold / GetAnalysisCanaryReadyThreshold, percent. */
export function readyThreshold(canary: AnalysedCanary, which: 'primary' | 'canary'): number {
  const analysis = analysisOf(canary);
  const value =
    which === 'primary' ? analysis.primaryReadyThreshold : analysis.canaryReadyThreshold;
  return value ?? DEFAULT_READY_THRESHOLD;
}

/** canary.go SkipAnalysis: no analysis at all, or `skipAnalysis: true`. */
export function skipsAnalysis(canary: Pick<Canary, 'spec'>): boolean {
  return !canary.spec.analysis || canary.spec.skipAnalysis === true;
}

/** canary.go GetServiceNames: apex `<service.name or target>`, `-primary`, `-canary`. */
export function serviceNamesOf(canary: Pick<Canary, 'spec'>): {
  apex: string;
  primary: string;
  canary: string;
} {
  const apex = canary.spec.service?.name || canary.spec.targetRef.name;
  return { apex, primary: `${apex}-primary`, canary: `${apex}-canary` };
}
