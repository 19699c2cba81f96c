// The CLI names core's canary options by their flags: every refusal resolveCanaryOptions
// raises reaches the user as `--step-weight: ...`, and `greenlight render` offers exactly the
// options core declares.
import { describe, expect, test } from '@jest/globals';
import { Command } from 'commander';
import {
  CANARY_OPTION_NAMES,
  CANARY_OPTIONS,
  resolveCanaryOptions,
  UserError,
  type CanaryOptionsInput,
} from '@greenlight/core';
import { spelledAsFlags, withCanaryFlags } from '../src/canary-flags.ts';

function errorOf(input: Partial<CanaryOptionsInput>): UserError {
  try {
    resolveCanaryOptions(input);
  } catch (error) {
    const spelled = spelledAsFlags(error);
    if (spelled instanceof UserError) return spelled;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
}

describe("core's canary option errors, spelled as flags", () => {
  test.each<[string, Partial<CanaryOptionsInput>, string, string]>([
    [
      'a step weight above 100',
      { stepWeight: 150 },
      '--step-weight',
      'must be an integer between 1 and 100, got 150',
    ],
    [
      'a fractional step weight',
      { stepWeight: 2.5 },
      '--step-weight',
      'must be an integer between 1 and 100, got 2.5',
    ],
    [
      'a max weight of 0',
      { maxWeight: 0 },
      '--max-weight',
      'must be an integer between 1 and 100, got 0',
    ],
    [
      'step weights that fall',
      { stepWeights: [10, 50, 30] },
      '--step-weights',
      'must rise step by step, got 10,50,30',
    ],
    [
      'no step weights at all',
      { stepWeights: [] },
      '--step-weights',
      'must be integers between 1 and 100, got []',
    ],
    [
      'a step weight of 101 in the list',
      { stepWeights: [50, 101] },
      '--step-weights',
      'must be integers between 1 and 100, got [50,101]',
    ],
    [
      'zero iterations',
      { strategy: 'blue-green', iterations: 0 },
      '--iterations',
      'must be an integer of at least 1, got 0',
    ],
    [
      'an interval in hours, which the CRD pattern refuses',
      { interval: '1h' },
      '--interval',
      'must be a duration like 30s or 1m, got "1h"',
    ],
    [
      'an interval without a unit',
      { interval: '30' },
      '--interval',
      'must be a duration like 30s or 1m, got "30"',
    ],
    [
      'an interval Flagger would raise to 10s',
      { interval: '5s' },
      '--interval',
      'must be at least 10s, got 5s',
    ],
    [
      'a threshold of 0',
      { threshold: 0 },
      '--threshold',
      'must be an integer of at least 1, got 0',
    ],
    [
      'a success rate above 100%',
      { minSuccessRate: 101 },
      '--min-success-rate',
      'must be a percentage between 0 and 100, got 101',
    ],
    [
      'a latency of 0 ms',
      { maxLatencyMs: 0 },
      '--max-latency-ms',
      'must be a number of milliseconds above 0, got 0',
    ],
    [
      'an unknown provider',
      { provider: 'istio' as never },
      '--provider',
      'must be linkerd or gatewayapi, got "istio"',
    ],
    [
      'an unknown strategy',
      { strategy: 'ab-testing' as never },
      '--strategy',
      'must be canary or blue-green, got "ab-testing"',
    ],
    [
      'a namespace with capitals',
      { namespace: 'OpenFaaS' },
      '--namespace',
      `must be a Kubernetes namespace name (lowercase letters, digits and '-'), got "OpenFaaS"`,
    ],
    [
      'a port out of range',
      { port: 70000 },
      '--port',
      'must be an integer between 1 and 65535, got 70000',
    ],
    [
      'a gate URL without a scheme',
      { approval: true, gateUrl: 'gate:8080' },
      '--gate-url',
      'must be an http:// or https:// URL, got "gate:8080"',
    ],
    [
      'approval given as a string',
      { approval: 'yes' as never },
      '--approval',
      'must be true or false, got "yes"',
    ],
  ])('refuses %s, naming the flag', (_what, input, field, message) => {
    const error = errorOf(input);
    expect(error.field).toBe(field);
    expect(error.message).toBe(`${field}: ${message}${error.hint ? `. ${error.hint}` : ''}`);
  });

  test.each<[string, Partial<CanaryOptionsInput>, string, string]>([
    [
      'step weights with blue-green',
      { strategy: 'blue-green', stepWeights: [10, 50] },
      '--step-weights',
      'is only for --strategy canary',
    ],
    [
      'a step weight with blue-green',
      { strategy: 'blue-green', stepWeight: 10 },
      '--step-weight',
      'is only for --strategy canary',
    ],
    [
      'a max weight with blue-green',
      { strategy: 'blue-green', maxWeight: 50 },
      '--max-weight',
      'is only for --strategy canary',
    ],
    [
      'iterations with a canary',
      { iterations: 5 },
      '--iterations',
      'is only for --strategy blue-green',
    ],
    [
      'a step weight and step weights',
      { stepWeight: 10, stepWeights: [10, 50] },
      '--step-weights',
      'cannot be combined with --step-weight',
    ],
    [
      'a max weight and step weights',
      { maxWeight: 50, stepWeights: [10, 50] },
      '--max-weight',
      'cannot be combined with --step-weights',
    ],
    [
      'a max weight below the step weight',
      { stepWeight: 20, maxWeight: 10 },
      '--max-weight',
      'must be at least the step weight (20), got 10',
    ],
    [
      'a max weight below the default step weight',
      { maxWeight: 5 },
      '--max-weight',
      'must be at least the step weight (10), got 5',
    ],
    [
      'a gate URL without approval',
      { gateUrl: 'http://gate:8080' },
      '--gate-url',
      'is only used with --approval',
    ],
  ])('refuses the contradiction of %s', (_what, input, field, message) => {
    const error = errorOf(input);
    expect(error.field).toBe(field);
    expect(error.message).toContain(message);
    expect(error.hint).toBeTruthy();
  });

  test('keeps the option core named beside the flag', () => {
    const error = errorOf({ stepWeight: 150 });
    expect(error.option).toBe('stepWeight');
    expect(error.field).toBe('--step-weight');
  });
});

describe('greenlight render', () => {
  test('offers exactly the canary options core declares, each by its flag', () => {
    const flags = withCanaryFlags(new Command('render')).options.map((option) => option.long);
    expect(flags.sort()).toEqual(
      CANARY_OPTION_NAMES.map((name) => CANARY_OPTIONS[name].flag).sort(),
    );
  });

  test("explains each flag with core's meaning of the option", () => {
    const options = withCanaryFlags(new Command('render')).options;
    for (const name of CANARY_OPTION_NAMES) {
      const option = options.find((o) => o.long === CANARY_OPTIONS[name].flag);
      expect(option?.description).toContain(CANARY_OPTIONS[name].meaning);
    }
  });
});
