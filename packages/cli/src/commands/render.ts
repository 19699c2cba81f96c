import { Command } from 'commander';
import { stringify } from 'yaml';
import { loadStack, renderCanary, selectFunctions } from '@greenlight/core';
import { canaryOptionsFromFlags, withCanaryFlags } from '../canary-flags.ts';
import type { Io } from '../io.ts';

const OPENFAAS_NAMESPACE = 'openfaas-fn';

/** `greenlight render`: the objects Greenlight would apply, as YAML, with no cluster. */
export function renderCommand(io: Io): Command {
  const command = new Command('render')
    .description('print the Canary and MetricTemplates Greenlight would apply for each function')
    .requiredOption('--stack <file>', 'OpenFaaS stack.yml')
    .option(
      '--function <name>',
      'function name or glob; repeat for several (default: all)',
      (value: string, previous: string[] = []) => [...previous, value],
    );
  return withCanaryFlags(command).action(async (flags) => {
    const stack = await loadStack(flags.stack, io.env);
    const functions = selectFunctions(stack, flags.function ?? []);
    const documents = functions.flatMap((fn) =>
      renderCanary(fn, canaryOptionsFromFlags(flags, fn.namespace ?? OPENFAAS_NAMESPACE)),
    );
    io.out(documents.map((document) => stringify(document)).join('---\n'));
  });
}
