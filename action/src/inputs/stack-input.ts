// The stack file and the functions the inputs select from it, with errors that name the input.
import {
  loadStack,
  selectFunctions,
  UserError,
  type Stack,
  type StackFunction,
} from '@greenlight/core';

export async function loadSelectedFunctions(
  stackFile: string,
  patterns: string[],
): Promise<{ stack: Stack; functions: StackFunction[] }> {
  const stack = await named('stack-file', () => loadStack(stackFile));
  const functions = await named('functions', async () => selectFunctions(stack, patterns));
  return { stack, functions };
}

async function named<T>(input: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof UserError && !err.field) throw new UserError(err.message, { field: input });
    throw err;
  }
}
