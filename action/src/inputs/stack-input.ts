// The stack file and the functions the inputs select from it, with errors that name the input.
import {
  loadStack,
  loadStackProbes,
  renderCanary,
  selectFunctions,
  UserError,
  type CanaryOptions,
  type FunctionProbe,
  type Stack,
  type StackFunction,
} from '@greenlight/core';
import { spelledAsInputs } from './inputs.ts';

export interface SelectedFunctions {
  stack: Stack;
  functions: StackFunction[];
  /** Each selected function's chat probe, from the probes file. */
  probes: Map<string, FunctionProbe>;
}

/**
 * The stack, the functions the inputs select, and their probes — every one renderable with
 * `canary`, so a malformed probes file or a blue/green function without a probe is refused
 * before anything is built or written.
 */
export async function loadSelectedFunctions(
  stackFile: string,
  patterns: string[],
  canary: CanaryOptions,
  probesFile?: string,
): Promise<SelectedFunctions> {
  const stack = await named('stack-file', () => loadStack(stackFile));
  const functions = await named('functions', async () => selectFunctions(stack, patterns));
  const file = await loadStackProbes(stackFile, Object.keys(stack.functions), {
    ...(probesFile ? { path: probesFile } : {}),
    field: 'probes',
  });
  const probes = new Map<string, FunctionProbe>();
  for (const fn of functions) {
    const probe = file?.functions[fn.name];
    if (probe) probes.set(fn.name, probe);
    try {
      renderCanary({ name: fn.name, ...(probe ? { probe } : {}) }, canary);
    } catch (err) {
      throw spelledAsInputs(err);
    }
  }
  return { stack, functions, probes };
}

async function named<T>(input: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof UserError && !err.field) throw new UserError(err.message, { field: input });
    throw err;
  }
}
