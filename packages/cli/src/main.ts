import { Command, CommanderError } from 'commander';
import { UserError } from '@greenlight/core';
import { EXIT } from './exit-codes.ts';
import { processIo, type Io } from './io.ts';
import { abortCommand, approveCommand } from './commands/approval.ts';
import { renderCommand } from './commands/render.ts';
import { rollbackCommand } from './commands/rollback.ts';
import { sandboxCommand } from './commands/sandbox.ts';
import { statusCommand } from './commands/status.ts';
import { watchCommand } from './commands/watch.ts';
import { cliVersion } from './version.ts';

/**
 * Runs one `greenlight` invocation and returns its exit code: 0 ok, 1 a failed rollout or an
 * unreachable cluster, 2 bad input (nothing changed). `name` is how the user called it:
 * `kubectl greenlight` when kubectl runs it as a plugin.
 */
export async function run(
  argv: string[],
  io: Io = processIo,
  name = 'greenlight',
): Promise<number> {
  let exitCode: number = EXIT.ok;
  const setExit = (code: number) => {
    exitCode = code;
  };
  const program = new Command(name)
    .description('Progressive delivery for serverless chatbots: Flagger canaries on Linkerd.')
    .showHelpAfterError(`(run "${name} <command> --help" for usage)`)
    .version(cliVersion(), '-V, --version', 'print the version')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();
  for (const command of [
    renderCommand(io),
    statusCommand(io),
    watchCommand(io, setExit),
    approveCommand(io),
    abortCommand(io),
    rollbackCommand(io, setExit),
    // Only where the repository's sandbox is installed (commands/sandbox.ts says why).
    ...[await sandboxCommand(io)].filter((command) => command !== undefined),
  ]) {
    // addCommand, unlike .command(), does not pass the output and exit settings down.
    command
      .copyInheritedSettings(program)
      .showHelpAfterError(`(run "${name} ${command.name()} --help" for usage)`);
    program.addCommand(command);
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    // Commander has already printed its message; --help and --version end here with 0.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error instanceof UserError) {
      io.err(`${name}: ${error.message}\n`);
      return EXIT.usage;
    }
    io.err(`${name}: ${(error as Error).message}\n`);
    return EXIT.failure;
  }
}
