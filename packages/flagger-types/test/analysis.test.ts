// Flagger v1.44's reading of a Canary's analysis, case by case from its code:
// pkg/apis/flagger/v1beta1/canary.go (GetAnalysisThreshold, GetAnalysisInterval,
// DeploymentStrategy, Get*ReadyThreshold, GetProgressDeadlineSeconds) and
// pkg/controller/scheduler.go (maxWeight, nextStepWeight, and advanceCanary's switch on
// DeploymentStrategy: runAB, runBlueGreen, else the weighted canary).
import { describe, expect, test } from '@jest/globals';
import {
  analysisIntervalMs,
  analysisThreshold,
  deploymentStrategy,
  maxWeight,
  nextStepWeight,
  readyThreshold,
  type AnalysedCanary,
  type CanaryAnalysis,
  type DeploymentStrategy,
} from '../src/index.ts';

const withAnalysis = (analysis: Partial<CanaryAnalysis>): AnalysedCanary => ({
  spec: { analysis },
});
const MATCH = [{ headers: { 'x-canary': { exact: 'insider' } } }];

describe("Flagger's strategy from the analysis fields (canary.go DeploymentStrategy)", () => {
  test.each<[string, AnalysedCanary, DeploymentStrategy]>([
    // `if len(analysis.Match) > 0 && analysis.Iterations > 0 { return DeploymentStrategyABTesting }`
    [
      'iterations with match is A/B testing',
      withAnalysis({ iterations: 10, match: MATCH }),
      'ab-testing',
    ],
    // `if analysis.Iterations > 0 { return DeploymentStrategyBlueGreen }`
    ['iterations alone is blue/green', withAnalysis({ iterations: 10 }), 'blue-green'],
    [
      'iterations with an empty match is blue/green',
      withAnalysis({ iterations: 5, match: [] }),
      'blue-green',
    ],
    // match needs iterations: with weights it is a canary (match only routes A/B runs).
    [
      'match with step weights is a canary',
      withAnalysis({ stepWeight: 10, match: MATCH }),
      'canary',
    ],
    ['stepWeight is a canary', withAnalysis({ stepWeight: 10, maxWeight: 50 }), 'canary'],
    ['stepWeights is a canary', withAnalysis({ stepWeights: [5, 10, 25] }), 'canary'],
    ['iterations of 0 is a canary', withAnalysis({ iterations: 0 }), 'canary'],
    // `if analysis == nil { return DeploymentStrategyCanary }`
    ['no analysis is a canary', {}, 'canary'],
  ])('%s', (_what, canary, strategy) => {
    expect(deploymentStrategy(canary)).toBe(strategy);
  });
});

describe('the threshold default (canary.go GetAnalysisThreshold)', () => {
  // `if c.GetAnalysis().Threshold > 0 { return c.GetAnalysis().Threshold }; return 1`
  test.each<[string, AnalysedCanary, number]>([
    ['a threshold above 0 as given', withAnalysis({ threshold: 5 }), 5],
    ['a threshold of 0 as 1', withAnalysis({ threshold: 0 }), 1],
    ['a negative threshold as 1', withAnalysis({ threshold: -3 }), 1],
    ['no threshold as 1', withAnalysis({}), 1],
    ['no analysis as 1', {}, 1],
  ])('reads %s', (_what, canary, threshold) => {
    expect(analysisThreshold(canary)).toBe(threshold);
  });
});

describe('the interval (canary.go GetAnalysisInterval)', () => {
  test.each<[string, string | undefined, number]>([
    ['an empty interval as AnalysisInterval, 60s', undefined, 60_000],
    ['an unparsable interval as 60s', '30sec', 60_000],
    ['an interval under 10s as 10s', '5s', 10_000],
    ['1m30s as given', '1m30s', 90_000],
  ])('reads %s', (_what, interval, ms) => {
    expect(analysisIntervalMs(withAnalysis(interval === undefined ? {} : { interval }))).toBe(ms);
  });
});

describe('the weights (scheduler.go maxWeight, nextStepWeight)', () => {
  test.each<[string, Partial<CanaryAnalysis>, number]>([
    ['maxWeight as given', { stepWeight: 10, maxWeight: 50 }, 50],
    ['no maxWeight as totalWeight, 100', { stepWeight: 10 }, 100],
    ['the last of stepWeights, maxWeight ignored', { stepWeights: [5, 25, 60], maxWeight: 30 }, 60],
    ['stepWeights ending above 100 as 100', { stepWeights: [50, 120] }, 100],
  ])('max weight: %s', (_what, analysis, weight) => {
    expect(maxWeight(withAnalysis(analysis))).toBe(weight);
  });

  test.each<[string, Partial<CanaryAnalysis>, number, number]>([
    ['stepWeight whatever the weight', { stepWeight: 10, maxWeight: 50 }, 40, 10],
    ['stepWeight wins over stepWeights', { stepWeight: 10, stepWeights: [5, 50] }, 0, 10],
    ['the first of stepWeights from 0', { stepWeights: [5, 25, 60] }, 0, 5],
    ['the difference to the next listed step', { stepWeights: [5, 25, 60] }, 5, 20],
    ['from a weight off the list, straight to 100', { stepWeights: [5, 25, 60] }, 30, 70],
    ['from the last listed step, straight to 100', { stepWeights: [5, 25, 60] }, 60, 40],
    ['at 100, 1: any step moves on to promotion', { stepWeights: [50, 100] }, 100, 1],
    ['no weights at all, 0: no weighted steps', { iterations: 10 }, 0, 0],
  ])('next step: %s', (_what, analysis, weight, step) => {
    expect(nextStepWeight(withAnalysis(analysis), weight)).toBe(step);
  });
});

describe('the ready thresholds (canary.go Get*ReadyThreshold)', () => {
  test('default to 100 % and take what is set, 0 included', () => {
    expect(readyThreshold({}, 'primary')).toBe(100);
    expect(readyThreshold(withAnalysis({ canaryReadyThreshold: 0 }), 'canary')).toBe(0);
    expect(readyThreshold(withAnalysis({ primaryReadyThreshold: 50 }), 'primary')).toBe(50);
  });
});
