import { Command, Option } from 'commander';
import { resolveCanaryOptions, UserError, type CanaryOptions } from '@greenlight/core';

/** Adds the canary options of `greenlight render` (and later the action) to a command. */
export function withCanaryFlags(command: Command): Command {
  return command
    .option('--namespace <ns>', 'namespace of the Canary (default: the function\'s, else openfaas-fn)')
    .addOption(
      new Option('--provider <provider>', 'linkerd (SMI TrafficSplit) or gatewayapi (HTTPRoute)').choices([
        'linkerd',
        'gatewayapi',
      ]),
    )
    .addOption(
      new Option('--strategy <strategy>', 'canary (weighted steps) or blue-green (iterations)').choices([
        'canary',
        'blue-green',
      ]),
    )
    .option('--step-weight <percent>', 'traffic added to green at each step (canary)')
    .option('--max-weight <percent>', 'green weight at which analysis ends (canary)')
    .option('--step-weights <list>', 'explicit steps, e.g. 5,10,25,50 (canary)')
    .option('--iterations <n>', 'analysis runs before promotion (blue-green)')
    .option('--interval <duration>', 'time between steps, e.g. 30s, 1m')
    .option('--threshold <n>', 'failed checks before rollback')
    .option('--min-success-rate <percent>', 'lowest acceptable success rate, e.g. 99')
    .option('--max-latency-ms <ms>', 'highest acceptable p99 latency in milliseconds')
    .option('--approval', 'hold promotion until approved (adds the gate webhooks)')
    .option('--gate-url <url>', 'base URL of greenlight-gate, used with --approval');
}

interface CanaryFlagValues {
  namespace?: string;
  provider?: 'linkerd' | 'gatewayapi';
  strategy?: 'canary' | 'blue-green';
  stepWeight?: string;
  maxWeight?: string;
  stepWeights?: string;
  iterations?: string;
  interval?: string;
  threshold?: string;
  minSuccessRate?: string;
  maxLatencyMs?: string;
  approval?: boolean;
  gateUrl?: string;
}

/** Turns parsed flags into validated canary options; errors name the flag. */
export function canaryOptionsFromFlags(flags: CanaryFlagValues, namespace: string): CanaryOptions {
  return resolveCanaryOptions({
    namespace: flags.namespace ?? namespace,
    provider: flags.provider,
    strategy: flags.strategy,
    stepWeight: number('--step-weight', flags.stepWeight),
    maxWeight: number('--max-weight', flags.maxWeight),
    stepWeights: numberList('--step-weights', flags.stepWeights),
    iterations: number('--iterations', flags.iterations),
    interval: flags.interval,
    threshold: number('--threshold', flags.threshold),
    minSuccessRate: number('--min-success-rate', flags.minSuccessRate),
    maxLatencyMs: number('--max-latency-ms', flags.maxLatencyMs),
    approval: flags.approval,
    gateUrl: flags.gateUrl,
  });
}

function number(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed)) {
    throw new UserError(`must be a number, got "${value}"`, { field: flag });
  }
  return parsed;
}

function numberList(flag: string, value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  return value.split(',').map((part) => {
    const parsed = Number(part);
    if (part.trim() === '' || !Number.isFinite(parsed)) {
      throw new UserError(`must be a comma-separated list of numbers like 5,10,25,50, got "${value}"`, {
        field: flag,
      });
    }
    return parsed;
  });
}
