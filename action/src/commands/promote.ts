import type { Inputs } from '../inputs/inputs.ts';
import type { RunContext } from '../inputs/run-context.ts';
import { mark } from './mark.ts';

/** Approves the revision under analysis on each Canary, then follows to the promotion. */
export function promote(inputs: Inputs, context: RunContext): Promise<void> {
  return mark('promote', inputs, context);
}
