import { Command, Option } from 'commander';
import {
  CANARY_DEFAULTS,
  CANARY_OPTION_NAMES,
  CANARY_OPTIONS,
  DEFAULT_PROMETHEUS_ADDRESS,
  OptionError,
  resolveCanaryOptions,
  UserError,
  type CanaryOptionName,
  type CanaryOptions,
  type CanaryOptionsInput,
  type OptionNamer,
} from '@greenlight/core';

type Key = CanaryOptionName;

// What each option means, its type, choices and flag come from core's CANARY_OPTIONS; the
// CLI adds only the placeholder `--help` shows and the default it mentions.
const HELP: Record<Key, { placeholder?: string; default?: string }> = {
  namespace: { placeholder: '<ns>', default: `the function's, else ${CANARY_DEFAULTS.namespace}` },
  provider: {
    placeholder: '<provider>',
    default: `${CANARY_DEFAULTS.provider}; linkerd is deprecated`,
  },
  strategy: { placeholder: '<strategy>' },
  stepWeight: { placeholder: '<percent>', default: String(CANARY_DEFAULTS.stepWeight) },
  maxWeight: { placeholder: '<percent>', default: String(CANARY_DEFAULTS.maxWeight) },
  stepWeights: { placeholder: '<list>' },
  iterations: { placeholder: '<n>', default: String(CANARY_DEFAULTS.iterations) },
  testersHeader: { placeholder: '<name=value>', default: 'none' },
  testersCookie: { placeholder: '<name=value>', default: 'none' },
  testersIterations: {
    placeholder: '<n>',
    default: String(CANARY_DEFAULTS.testersIterations),
  },
  stickyCookie: { placeholder: '<name>', default: 'none' },
  stickyMaxAge: { placeholder: '<seconds>', default: "Flagger's 86400" },
  interval: { placeholder: '<duration>', default: CANARY_DEFAULTS.interval },
  threshold: { placeholder: '<n>', default: String(CANARY_DEFAULTS.threshold) },
  minSuccessRate: { placeholder: '<percent>', default: String(CANARY_DEFAULTS.minSuccessRate) },
  maxLatencyMs: { placeholder: '<ms>', default: String(CANARY_DEFAULTS.maxLatencyMs) },
  approval: {},
  gateUrl: { placeholder: '<url>', default: CANARY_DEFAULTS.gateUrl },
  probeUrl: { placeholder: '<url>', default: CANARY_DEFAULTS.probeUrl },
  probeRounds: { placeholder: '<n>', default: String(CANARY_DEFAULTS.probeRounds) },
  port: { placeholder: '<port>', default: String(CANARY_DEFAULTS.port) },
  prometheusAddress: {
    placeholder: '<url>',
    default: `for gatewayapi: ${DEFAULT_PROMETHEUS_ADDRESS}`,
  },
  owner: { placeholder: '<entity-ref>', default: 'none' },
  alerts: { placeholder: '<destinations>', default: 'none' },
  clusterName: { placeholder: '<name>', default: 'none' },
};

/** The probes file: not a canary option, but what core's refusal of unprobed blue-green names. */
export const PROBES_FLAG = '--probes';

/** The CLI's spelling of an option in core's errors: `--strategy canary`, `--approval`. */
export const FLAG_NAMES: OptionNamer = (option, value) => {
  if (option === 'probes') return `the probes file (${PROBES_FLAG} <file>)`;
  const spec = CANARY_OPTIONS[option as Key];
  if (!spec) return option;
  if (value === undefined || (spec.type === 'switch' && value === 'true')) return spec.flag;
  return `${spec.flag} ${value}`;
};

/** Core's error about an option, naming the flag; other errors as they are. */
export function spelledAsFlags(error: unknown): unknown {
  return error instanceof OptionError ? error.spelled(FLAG_NAMES) : error;
}

/** Adds the canary options (`--step-weight`, `--approval`, ...) to a command. */
export function withCanaryFlags(command: Command): Command {
  for (const key of CANARY_OPTION_NAMES) {
    const spec: { flag: string; meaning: string; choices?: readonly string[] } =
      CANARY_OPTIONS[key];
    const help = HELP[key];
    const description = help.default ? `${spec.meaning} (default: ${help.default})` : spec.meaning;
    const option = new Option(
      help.placeholder ? `${spec.flag} ${help.placeholder}` : spec.flag,
      description,
    );
    command.addOption(spec.choices ? option.choices(spec.choices) : option);
  }
  return command;
}

/** What commander parsed: every canary flag by its camelCase name, as text (or true). */
export type CanaryFlagValues = Partial<Record<Key, string | boolean>>;

/**
 * Turns parsed flags into validated canary options; every error names the flag and says
 * what to give instead. `namespace` is the default when `--namespace` is absent.
 */
export function canaryOptionsFromFlags(flags: CanaryFlagValues, namespace: string): CanaryOptions {
  const input: Partial<Record<Key, unknown>> = { namespace };
  for (const key of CANARY_OPTION_NAMES) {
    const value = flags[key];
    if (value !== undefined) input[key] = convert(key, value);
  }
  try {
    return resolveCanaryOptions(input as Partial<CanaryOptionsInput>);
  } catch (error) {
    throw spelledAsFlags(error);
  }
}

function convert(key: Key, value: string | boolean): unknown {
  const { flag, type } = CANARY_OPTIONS[key];
  if (typeof value === 'boolean') return value;
  switch (type) {
    case 'number':
      return toNumber(value, () => badNumber(flag, value, 'a number, e.g. 10'));
    case 'numbers':
      return value
        .split(',')
        .map((part) =>
          toNumber(part, () => badNumber(flag, value, 'a comma-separated list like 5,10,25,50')),
        );
    default:
      return value;
  }
}

function toNumber(text: string, fail: () => never): number {
  const parsed = Number(text);
  if (text.trim() === '' || !Number.isFinite(parsed)) fail();
  return parsed;
}

function badNumber(flag: string, value: string, expected: string): never {
  throw new UserError(`must be ${expected}, got "${value}"`, {
    field: flag,
    hint: `Give ${flag} ${expected}`,
  });
}
