import { Command, CommanderError } from 'commander';
import { UserError } from '@greenlight/core';
import { EXIT } from './exit-codes.ts';
import { processIo, type Io } from './io.ts';
import { abortCommand, approveCommand } from './commands/approval.ts';
import { renderCommand } from './commands/render.ts';
import { sandboxCommand } from './commands/sandbox.ts';
import { statusCommand } from './commands/status.ts';
import { watchCommand } from './commands/watch.ts';

/**
 * Runs one `greenlight` invocation and returns its exit code: 0 ok, 1 a failed rollout or an
 * unreachable cluster, 2 bad input (nothing changed).
 */
export async function run(argv: string[], io: Io = processIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('greenlight')
    .description('Progressive delivery for serverless chatbots: Flagger canaries on Linkerd.')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();
  const setExit = (code: number) => {
    exitCode = code;
  };
  for (const command of [
    renderCommand(io),
    statusCommand(io),
    watchCommand(io, setExit),
    approveCommand(io),
    abortCommand(io),
    sandboxCommand(io),
  ]) {
    program.addCommand(command.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err }));
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UserError) {
      io.err(`greenlight: ${error.message}\n`);
      return EXIT.usage;
    }
    io.err(`greenlight: ${(error as Error).message}\n`);
    return EXIT.failure;
  }
}
