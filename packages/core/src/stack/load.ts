import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.ts';
import { parseStack } from './parse.ts';
import type { Stack, StackEnv } from './types.ts';

/** Reads and parses the stack file at `path` (see parseStack). */
export async function loadStack(path: string, env: StackEnv = process.env): Promise<Stack> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(
      code === 'ENOENT'
        ? 'stack file not found'
        : `cannot read the stack file (${code ?? String(error)})`,
      {
        file: path,
        hint:
          code === 'ENOENT'
            ? 'Check the path, or create one with "faas-cli new --lang dockerfile <name>"'
            : 'Check that it is a readable file',
      },
    );
  }
  return parseStack(text, path, env);
}
