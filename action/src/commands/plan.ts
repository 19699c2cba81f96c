import { UserError } from '@greenlight/core';
import type { Inputs } from '../inputs.ts';
import type { RunContext } from '../context.ts';

export async function plan(_inputs: Inputs, _context: RunContext): Promise<void> {
  throw new UserError('plan is not implemented yet', { field: 'command' });
}
