import { Command } from 'commander';
import { stringify } from 'yaml';
import {
  LINKERD_DEPRECATION,
  loadStack,
  loadStackProbes,
  renderCanary,
  selectFunctions,
} from '@greenlight/core';
import {
  canaryOptionsFromFlags,
  PROBES_FLAG,
  spelledAsFlags,
  withCanaryFlags,
} from '../canary-flags.ts';
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
    )
    .option(
      `${PROBES_FLAG} <file>`,
      'chat probes per function (docs/probes.md) (default: probes.yml beside the stack file, when there is one)',
    );
  return withCanaryFlags(command).action(async (flags) => {
    const stack = await loadStack(flags.stack, io.env);
    const functions = selectFunctions(stack, flags.function ?? []);
    const probes = await loadStackProbes(flags.stack, Object.keys(stack.functions), {
      path: flags.probes,
      field: PROBES_FLAG,
    });
    let linkerd = false;
    const documents = functions.flatMap((fn) => {
      const options = canaryOptionsFromFlags(flags, fn.namespace ?? OPENFAAS_NAMESPACE);
      linkerd ||= options.provider === 'linkerd';
      const probe = probes?.functions[fn.name];
      try {
        return renderCanary({ name: fn.name, ...(probe ? { probe } : {}) }, options);
      } catch (error) {
        throw spelledAsFlags(error);
      }
    });
    // On stderr, so the YAML on stdout still pipes into kubectl apply.
    if (linkerd) io.err(`warning: ${LINKERD_DEPRECATION}\n`);
    io.out(documents.map((document) => stringify(document)).join('---\n'));
  });
}
