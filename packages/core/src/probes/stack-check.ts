import { UserError } from '../errors.ts';
import { closest } from '../stack/did-you-mean.ts';
import { fieldOf } from '../stack/problem.ts';
import type { ProbeFile } from './types.ts';

/** Every function the probes file names must be one of the stack's (a probe of nothing is a typo). */
export function checkProbesAgainstStack(file: ProbeFile, functionNames: string[]): void {
  for (const name of Object.keys(file.functions)) {
    if (functionNames.includes(name)) continue;
    const suggested = closest(name, functionNames);
    throw new UserError(`function "${name}" is not in the stack file`, {
      file: file.file,
      ...(file.lines?.[name] !== undefined && { line: file.lines[name] }),
      field: fieldOf(['functions', name]),
      hint: suggested
        ? `Did you mean "${suggested}"?`
        : `Name one of the stack's functions (${functionNames.join(', ') || 'it has none'}), or remove the entry`,
    });
  }
}
