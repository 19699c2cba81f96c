// Which probes file a deploy reads: the one given, else probes.yml beside the stack file.
import { access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UserError } from '../errors.ts';
import { checkProbesAgainstStack, loadProbeFile } from '../probes/index.ts';
import type { ProbeFile } from '../probes/types.ts';

export const DEFAULT_PROBE_FILE = 'probes.yml';

/**
 * The probes for the functions of `stackFile`: `given` (a path the user named; missing is an
 * error, so a typo never ships blue/green unprobed), else `probes.yml` beside the stack file
 * when it exists. `field` is how the surface names the setting (`--probes`, `probes`).
 * A malformed file, or one naming a function the stack lacks, is a UserError.
 */
export async function loadStackProbes(
  stackFile: string,
  functionNames: string[],
  given: { path?: string; field: string },
): Promise<ProbeFile | undefined> {
  const path = given.path || join(dirname(stackFile), DEFAULT_PROBE_FILE);
  if (given.path && !(await exists(path))) {
    throw new UserError(`probes file ${path} does not exist`, {
      field: given.field,
      hint: `Give the path of the probes file (see docs/probes.md), or leave ${given.field} out to use ${DEFAULT_PROBE_FILE} beside the stack file when there is one`,
    });
  }
  const file = await loadProbeFile(path);
  if (file) checkProbesAgainstStack(file, functionNames);
  return file;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
