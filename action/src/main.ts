// The action's one entry: read every input, run the command, turn any error into a failed
// step. A UserError's message says which input and what to do; anything else is a bug or
// an outage and says what failed.
import * as core from '@actions/core';
import { readRunContext } from './inputs/run-context.ts';
import { readInputs, type Command, type Inputs } from './inputs/inputs.ts';
import type { RunContext } from './inputs/run-context.ts';
import { deploy } from './commands/deploy.ts';
import { promote } from './commands/promote.ts';
import { abortRollout } from './commands/abort.ts';
import { rollbackCommand } from './commands/rollback.ts';
import { status } from './commands/status.ts';
import { plan } from './commands/plan.ts';

const COMMANDS: Record<Command, (inputs: Inputs, context: RunContext) => Promise<void>> = {
  deploy,
  promote,
  abort: abortRollout,
  rollback: rollbackCommand,
  status,
  plan,
};

export async function run(): Promise<void> {
  try {
    const context = readRunContext();
    const inputs = readInputs(context);
    core.info(`Greenlight ${inputs.command}`);
    await COMMANDS[inputs.command](inputs, context);
  } catch (err) {
    core.setFailed(err instanceof Error ? err.message : String(err));
  }
}
