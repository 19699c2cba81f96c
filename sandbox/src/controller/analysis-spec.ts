import { parseGoDuration } from 'flagger-types';
import type { Canary, CanaryAnalysis } from 'flagger-types';

// Flagger's accessors for a Canary's analysis (pkg/apis/flagger/v1beta1/canary.go and
// scheduler.go), with their defaults and clamps. Pure.

/** Flagger's total weight: weights are percentages (scheduler.go totalWeight). */
export const TOTAL_WEIGHT = 100;

/** Flagger's MetricInterval, used when a metric gives none. */
export const DEFAULT_METRIC_INTERVAL = '1m';

/** Flagger's AnalysisInterval (60 s) when `interval` is missing or not a Go duration. */
const DEFAULT_INTERVAL_MS = 60_000;
/** Flagger never runs an analysis more often than every 10 s (GetAnalysisInterval). */
const MIN_INTERVAL_MS = 10_000;
/** Flagger's ProgressDeadlineSeconds default. */
const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

export type DeploymentStrategy = 'canary' | 'blue-green' | 'ab-testing';

export function analysisOf(canary: Canary): CanaryAnalysis {
  return canary.spec.analysis;
}

/** GetAnalysisInterval: the Canary's interval in ms, at least 10 s, 60 s when unparsable. */
export function analysisIntervalMs(canary: Canary): number {
  const text = analysisOf(canary)?.interval ?? '';
  const ms = text === '' ? undefined : parseGoDuration(text);
  if (ms === undefined) return DEFAULT_INTERVAL_MS;
  return Math.max(MIN_INTERVAL_MS, ms);
}

/** GetAnalysisThreshold: failed checks that roll back, 1 unless set above 0. */
export function analysisThreshold(canary: Canary): number {
  const threshold = analysisOf(canary)?.threshold ?? 0;
  return threshold > 0 ? threshold : 1;
}

/** DeploymentStrategy: iterations with match is A/B, iterations alone blue/green. */
export function deploymentStrategy(canary: Canary): DeploymentStrategy {
  const analysis = analysisOf(canary);
  const iterations = analysis?.iterations ?? 0;
  if ((analysis?.match?.length ?? 0) > 0 && iterations > 0) return 'ab-testing';
  if (iterations > 0) return 'blue-green';
  return 'canary';
}

/** scheduler.go maxWeight: the last of stepWeights, else maxWeight, else 100. */
export function maxWeight(canary: Canary): number {
  const analysis = analysisOf(canary);
  const steps = analysis?.stepWeights ?? [];
  if (steps.length > 0) return Math.min(TOTAL_WEIGHT, steps[steps.length - 1] as number);
  if ((analysis?.maxWeight ?? 0) > 0) return analysis.maxWeight as number;
  return TOTAL_WEIGHT;
}

/** scheduler.go nextStepWeight: how much weight the next step adds to `canaryWeight`. */
export function nextStepWeight(canary: Canary, canaryWeight: number): number {
  const analysis = analysisOf(canary);
  const steps = analysis?.stepWeights ?? [];
  const stepWeight = analysis?.stepWeight ?? 0;
  if (stepWeight > 0 || steps.length === 0) return stepWeight;

  const maxStep = TOTAL_WEIGHT - canaryWeight;
  // At 100 % any non-zero step moves the canary on to promotion, as the last stepWeight does.
  if (maxStep === 0) return 1;
  if (canaryWeight === 0) return Math.min(maxStep, steps[0] as number);
  for (let i = 0; i < steps.length - 1; i++) {
    if (steps[i] === canaryWeight)
      return Math.min(maxStep, (steps[i + 1] as number) - canaryWeight);
  }
  return maxStep;
}

/** GetProgressDeadlineSeconds (default 600). */
export function progressDeadlineSeconds(canary: Canary): number {
  return canary.spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS;
}

/** GetAnalysisPrimaryReadyThreshold / CanaryReadyThreshold (percent, default 100). */
export function readyThreshold(canary: Canary, which: 'primary' | 'canary'): number {
  const analysis = analysisOf(canary);
  const value =
    which === 'primary' ? analysis?.primaryReadyThreshold : analysis?.canaryReadyThreshold;
  return value ?? 100;
}

/** SkipAnalysis: no analysis at all, or `skipAnalysis: true`. */
export function skipsAnalysis(canary: Canary): boolean {
  return !canary.spec.analysis || canary.spec.skipAnalysis === true;
}

/** GetServiceNames: apex `<service.name or target>`, `<apex>-primary`, `<apex>-canary`. */
export function serviceNamesOf(canary: Canary): { apex: string; primary: string; canary: string } {
  const apex = canary.spec.service?.name || canary.spec.targetRef.name;
  return { apex, primary: `${apex}-primary`, canary: `${apex}-canary` };
}

/** `<name>.<namespace>`, the way Flagger names objects in its messages. */
export function dotted(name: string, namespace: string | undefined): string {
  return `${name}.${namespace ?? ''}`;
}
