import { Command, Option } from 'commander';
import {
  CANARY_DEFAULTS,
  CANARY_OPTION_FLAGS,
  DEFAULT_PROMETHEUS_ADDRESS,
  resolveCanaryOptions,
  UserError,
  type CanaryOptions,
  type CanaryOptionsInput,
} from '@greenlight/core';

type Key = keyof CanaryOptionsInput;

/** How a flag's text becomes the option's value. */
type Kind = 'text' | 'number' | 'numbers' | 'switch';

interface FlagSpec {
  kind: Kind;
  /** The value's placeholder in `--help`; none for a switch. */
  placeholder?: string;
  description: string;
  choices?: readonly string[];
}

// The flag names come from core's CANARY_OPTION_FLAGS, so `--help`, the parser and the
// errors resolveCanaryOptions raises all name the same flag.
const FLAGS: Record<Key, FlagSpec> = {
  namespace: {
    kind: 'text',
    placeholder: '<ns>',
    description: `namespace of the Canary (default: the function's, else ${CANARY_DEFAULTS.namespace})`,
  },
  provider: {
    kind: 'text',
    placeholder: '<provider>',
    description: 'linkerd (SMI TrafficSplit) or gatewayapi (HTTPRoute, Linkerd >= 2.14)',
    choices: ['linkerd', 'gatewayapi'],
  },
  strategy: {
    kind: 'text',
    placeholder: '<strategy>',
    description: 'canary (weighted steps) or blue-green (iterations, then a full switch)',
    choices: ['canary', 'blue-green'],
  },
  stepWeight: {
    kind: 'number',
    placeholder: '<percent>',
    description: `traffic added to green at each step (canary; default ${CANARY_DEFAULTS.stepWeight})`,
  },
  maxWeight: {
    kind: 'number',
    placeholder: '<percent>',
    description: `green's weight at which analysis ends (canary; default ${CANARY_DEFAULTS.maxWeight})`,
  },
  stepWeights: {
    kind: 'numbers',
    placeholder: '<list>',
    description: 'explicit rising steps instead of --step-weight, e.g. 5,10,25,50 (canary)',
  },
  iterations: {
    kind: 'number',
    placeholder: '<n>',
    description: `analysis runs before promotion (blue-green; default ${CANARY_DEFAULTS.iterations})`,
  },
  interval: {
    kind: 'text',
    placeholder: '<duration>',
    description: `time between steps, e.g. 30s, 1m (default ${CANARY_DEFAULTS.interval})`,
  },
  threshold: {
    kind: 'number',
    placeholder: '<n>',
    description: `failed checks before rollback (default ${CANARY_DEFAULTS.threshold})`,
  },
  minSuccessRate: {
    kind: 'number',
    placeholder: '<percent>',
    description: `lowest acceptable success rate (default ${CANARY_DEFAULTS.minSuccessRate})`,
  },
  maxLatencyMs: {
    kind: 'number',
    placeholder: '<ms>',
    description: `highest acceptable p99 latency in ms (default ${CANARY_DEFAULTS.maxLatencyMs})`,
  },
  approval: {
    kind: 'switch',
    description: 'hold promotion until approved (adds the greenlight-gate webhooks)',
  },
  gateUrl: {
    kind: 'text',
    placeholder: '<url>',
    description: `base URL of greenlight-gate, with --approval (default ${CANARY_DEFAULTS.gateUrl})`,
  },
  port: {
    kind: 'number',
    placeholder: '<port>',
    description: `port of the function's Service and container (default ${CANARY_DEFAULTS.port})`,
  },
  prometheusAddress: {
    kind: 'text',
    placeholder: '<url>',
    description: `Prometheus with Linkerd's metrics (default for gatewayapi: ${DEFAULT_PROMETHEUS_ADDRESS})`,
  },
  owner: {
    kind: 'text',
    placeholder: '<entity-ref>',
    description:
      'the Backstage entity the Canary belongs to, e.g. component:default/chatbot (greenlight.dev/owner; default: none)',
  },
};

const KEYS = Object.keys(CANARY_OPTION_FLAGS) as Key[];

/** Adds the canary options (`--step-weight`, `--approval`, ...) to a command. */
export function withCanaryFlags(command: Command): Command {
  for (const key of KEYS) {
    const spec = FLAGS[key];
    const flag = CANARY_OPTION_FLAGS[key];
    const option = new Option(
      spec.placeholder ? `${flag} ${spec.placeholder}` : flag,
      spec.description,
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
  for (const key of KEYS) {
    const value = flags[key];
    if (value !== undefined) input[key] = convert(key, value);
  }
  return resolveCanaryOptions(input as Partial<CanaryOptionsInput>);
}

function convert(key: Key, value: string | boolean): unknown {
  const flag = CANARY_OPTION_FLAGS[key];
  if (typeof value === 'boolean') return value;
  switch (FLAGS[key].kind) {
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
