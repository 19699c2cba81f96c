import type { Command } from 'commander';
import type { Io } from '../io.ts';

// `greenlight sandbox` is the sandbox's own command (sandbox/src/command.ts): the sandbox is
// a development package of the repository and is never published, so no published package
// depends on it. In a clone (`npm ci`) it is installed and the command is there; an installed
// CLI has no such package and lists no command it could not run. The specifier is a variable
// so that neither tsc nor a bundler follows it into the sandbox's sources.
const SANDBOX_COMMAND: string = '@greenlight/sandbox/command';

export async function sandboxCommand(io: Io): Promise<Command | undefined> {
  try {
    const sandbox = (await import(SANDBOX_COMMAND)) as { sandboxCommand(io: Io): Command };
    return sandbox.sandboxCommand(io);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
    // Only the sandbox itself being absent; a broken sandbox install still says so.
    if (missing && message.includes('@greenlight/sandbox')) return undefined;
    throw error;
  }
}
