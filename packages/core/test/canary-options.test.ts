import { describe, expect, test } from '@jest/globals';
import {
  CANARY_OPTION_FLAGS,
  DEFAULT_GATE_URL,
  DEFAULT_PROBE_URL,
  DEFAULT_PROMETHEUS_ADDRESS,
  OptionError,
  resolveCanaryOptions,
  UserError,
  type CanaryOptionsInput,
} from '../src/index.ts';

// Spelling by the list's flag column, as the CLI does (packages/cli/test/canary-flags.test.ts
// holds the CLI's namer to it).
const FLAG_WORDS = (option: string, value?: string): string => {
  const flag = CANARY_OPTION_FLAGS[option as keyof typeof CANARY_OPTION_FLAGS];
  return value === undefined || value === 'true' ? flag : `${flag} ${value}`;
};

function optionOfFlag(flag: string): string | undefined {
  return Object.entries(CANARY_OPTION_FLAGS).find(([, f]) => f === flag)?.[0];
}

function errorOf(input: Partial<CanaryOptionsInput>): UserError {
  try {
    resolveCanaryOptions(input);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
}

describe('resolveCanaryOptions', () => {
  test('fills every default: a gatewayapi canary of 10% steps up to 50% in openfaas-fn', () => {
    expect(resolveCanaryOptions({})).toEqual({
      namespace: 'openfaas-fn',
      provider: 'gatewayapi',
      prometheusAddress: DEFAULT_PROMETHEUS_ADDRESS,
      strategy: 'canary',
      stepWeight: 10,
      maxWeight: 50,
      interval: '30s',
      threshold: 5,
      minSuccessRate: 99,
      maxLatencyMs: 500,
      approval: false,
      gateUrl: DEFAULT_GATE_URL,
      probeUrl: DEFAULT_PROBE_URL,
      probeRounds: 5,
      port: 8080,
    });
  });

  test('treats options given as undefined as not given, as the CLI passes them', () => {
    expect(resolveCanaryOptions({ stepWeight: undefined, provider: undefined })).toEqual(
      resolveCanaryOptions({}),
    );
  });

  test('expresses the seed 50/50 split as a canary with one step of 50 up to 50', () => {
    const options = resolveCanaryOptions({ stepWeight: 50, maxWeight: 50 });
    expect(options).toMatchObject({ strategy: 'canary', stepWeight: 50, maxWeight: 50 });
  });

  test('gives blue-green 10 iterations and no weights by default', () => {
    const options = resolveCanaryOptions({ strategy: 'blue-green' });
    expect(options.strategy).toBe('blue-green');
    expect(options.iterations).toBe(10);
    expect(options.stepWeight).toBeUndefined();
    expect(options.maxWeight).toBeUndefined();
  });

  test('keeps explicit step weights and drops the default stepWeight/maxWeight', () => {
    const options = resolveCanaryOptions({ stepWeights: [5, 10, 25, 50] });
    expect(options.stepWeights).toEqual([5, 10, 25, 50]);
    expect(options.stepWeight).toBeUndefined();
    expect(options.maxWeight).toBeUndefined();
  });

  test('defaults the Prometheus address for gatewayapi only, whose MetricTemplates need it', () => {
    expect(resolveCanaryOptions({ provider: 'gatewayapi' }).prometheusAddress).toBe(
      'http://prometheus.linkerd-viz:9090',
    );
    expect(resolveCanaryOptions({ provider: 'linkerd' }).prometheusAddress).toBeUndefined();
    expect(resolveCanaryOptions({ prometheusAddress: 'http://prom:9090/' }).prometheusAddress).toBe(
      'http://prom:9090',
    );
  });

  test('uses the in-cluster gate with approval unless told otherwise, without a trailing slash', () => {
    expect(resolveCanaryOptions({ approval: true }).gateUrl).toBe(DEFAULT_GATE_URL);
    expect(
      resolveCanaryOptions({ approval: true, gateUrl: 'https://gate.example.com/' }).gateUrl,
    ).toBe('https://gate.example.com');
  });

  test('accepts intervals Flagger reads: 1m30s, 10s', () => {
    expect(resolveCanaryOptions({ interval: '1m30s' }).interval).toBe('1m30s');
    expect(resolveCanaryOptions({ interval: '10s' }).interval).toBe('10s');
  });

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
      'no probe rounds',
      { probeRounds: 0 },
      '--probe-rounds',
      'must be an integer between 1 and 100, got 0',
    ],
    [
      'more probe rounds than a webhook call should hold',
      { probeRounds: 101 },
      '--probe-rounds',
      'must be an integer between 1 and 100, got 101',
    ],
    [
      'a probe URL without a scheme',
      { probeUrl: 'greenlight-probe.greenlight:8080' },
      '--probe-url',
      'must be an http:// or https:// URL, got "greenlight-probe.greenlight:8080"',
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
  ])('refuses %s, naming the option', (_what, input, flag, message) => {
    // The table names each option by its flag; core carries the option's own name and
    // speaks of it neutrally, the CLI spells it as the flag (packages/cli/test/canary-flags.test.ts).
    const error = errorOf(input);
    const option = optionOfFlag(flag);
    expect(error.option).toBe(option);
    expect(error.field).toBe(option);
    expect(error.message).toBe(`${option}: ${message}${error.hint ? `. ${error.hint}` : ''}`);
    // Spelled by the list's flag column, it is the CLI's message.
    const spelled = (error as OptionError).spelled(FLAG_WORDS);
    expect(spelled.field).toBe(flag);
    expect(spelled.message).toBe(`${flag}: ${message}${spelled.hint ? `. ${spelled.hint}` : ''}`);
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
  ])('refuses the contradiction of %s', (_what, input, flag, message) => {
    const error = errorOf(input);
    expect(error.option).toBe(optionOfFlag(flag));
    expect(error.message).not.toMatch(/--[a-z]/);
    expect(error).toBeInstanceOf(OptionError);
    const spelled = (error as OptionError).spelled(FLAG_WORDS);
    expect(spelled.field).toBe(flag);
    expect(spelled.message).toContain(message);
    expect(spelled.hint).toBeTruthy();
  });

  test('speaks of other options neutrally, and in the words of whichever surface spells it', () => {
    const error = errorOf({ iterations: 5 }) as OptionError;
    expect(error.message).toBe(
      'iterations: is only for strategy: blue-green; a canary moves by stepWeight or stepWeights. Add strategy: blue-green, or drop iterations.',
    );
    const asValues = error.spelled((option, value) =>
      value === undefined ? `.${option}` : `.${option}=${value}`,
    );
    expect(asValues.field).toBe('.iterations');
    expect(asValues.option).toBe('iterations');
    expect(asValues.hint).toBe('Add .strategy=blue-green, or drop .iterations.');
  });

  test('refuses an option it does not know and lists the known ones', () => {
    const error = errorOf({ stepweight: 10 } as never);
    expect(error.message).toContain('unknown canary option "stepweight"');
    expect(error.hint).toContain('stepWeight');
  });

  test('maps every option to a kebab-case CLI flag', () => {
    for (const [key, flag] of Object.entries(CANARY_OPTION_FLAGS)) {
      expect(flag).toBe(`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    }
  });
});
