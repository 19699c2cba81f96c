import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.ts';
import { parseProbeFile } from './parse.ts';
import type { ProbeFile } from './types.ts';

/** Reads and parses the probes file at `path` (see parseProbeFile); undefined when there is none. */
export async function loadProbeFile(path: string): Promise<ProbeFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new UserError(`cannot read the probes file (${code ?? String(error)})`, {
      file: path,
      hint:
        code === 'EISDIR'
          ? 'Give the path of the probes file, not of its folder'
          : 'Check that it is a readable file',
    });
  }
  return parseProbeFile(text, path);
}
