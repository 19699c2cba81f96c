import type { Inputs } from '../inputs/inputs.ts';
import type { RunContext } from '../inputs/run-context.ts';
import { mark } from './mark.ts';

/** Asks for the revision under analysis to be rolled back, then follows until it is. */
export function abortRollout(inputs: Inputs, context: RunContext): Promise<void> {
  return mark('abort', inputs, context);
}
