// The CLI names core's canary options by their flags: every refusal resolveCanaryOptions
// raises reaches the user as `--step-weight: ...` (core's tests check each refusal spelled by
// the list's flag column, which FLAG_NAMES is held to here), and `greenlight render` offers
// exactly the options core declares.
import { describe, expect, test } from '@jest/globals';
import { Command } from 'commander';
import { CANARY_OPTION_NAMES, CANARY_OPTIONS, UserError } from '@greenlight/core';
import { canaryOptionsFromFlags, FLAG_NAMES, withCanaryFlags } from '../src/canary-flags.ts';

describe("core's canary option errors, spelled as flags", () => {
  test("names each option by core's flag column, a value after it, a switch alone", () => {
    for (const name of CANARY_OPTION_NAMES)
      expect(FLAG_NAMES(name)).toBe(CANARY_OPTIONS[name].flag);
    expect(FLAG_NAMES('strategy', 'canary')).toBe('--strategy canary');
    expect(FLAG_NAMES('stepWeights', '5,10,25,50')).toBe('--step-weights 5,10,25,50');
    expect(FLAG_NAMES('approval', 'true')).toBe('--approval');
  });

  test('refuses a flag with the flag first and its own fix', () => {
    expect(() => canaryOptionsFromFlags({ stepWeight: '150' }, 'openfaas-fn')).toThrow(
      '--step-weight: must be an integer between 1 and 100, got 150',
    );
    expect(() => canaryOptionsFromFlags({ iterations: '5' }, 'openfaas-fn')).toThrow(
      '--iterations: is only for --strategy blue-green; a canary moves by --step-weight or --step-weights. Add --strategy blue-green, or drop --iterations.',
    );
    expect(() => canaryOptionsFromFlags({ gateUrl: 'http://gate:8080' }, 'openfaas-fn')).toThrow(
      '--gate-url: is only used with --approval. Add --approval, or drop --gate-url.',
    );
  });

  test('keeps the option core named beside the flag', () => {
    const error = (() => {
      try {
        canaryOptionsFromFlags({ stepWeight: '150' }, 'openfaas-fn');
      } catch (caught) {
        return caught as UserError;
      }
      throw new Error('expected a refusal');
    })();
    expect(error).toBeInstanceOf(UserError);
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
