// A path from the stack file that a build reads (handler, dockerfile, configuration.copy)
// must be inside the workspace once symlinks are followed. A build context is sent whole to
// the builder and can be copied into the image: `handler: ../../x`, or a committed symlink
// to `/`, would otherwise ship the runner's temp folder (where the kubeconfig lives) or its
// home to a registry.
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { UserError } from '@greenlight/core';

export interface StackPath {
  /** The absolute path, as the stack file names it (before symlinks). */
  path: string;
  /** The stack file's field, e.g. `functions.bot.handler`. */
  field: string;
  /** What the stack file wrote there. */
  written: string;
  stackFile: string;
}

/**
 * Throws naming the field when `path` resolves outside `workspace`; returns undefined when
 * it does not exist (the caller says what is missing), else its real path.
 */
export async function insideWorkspace(
  workspace: string,
  stackPath: StackPath,
): Promise<string | undefined> {
  const { real, exists } = await resolveExisting(stackPath.path);
  const root = await realpath(workspace);
  if (!within(root, real)) throw outside(root, real, JSON.stringify(stackPath.written), stackPath);
  return exists ? real : undefined;
}

/**
 * Throws naming the field when a symlink anywhere below the folder `path` leaves the
 * workspace: faas-cli's shrinkwrap and docker's context upload follow links *inside* a
 * build folder too (faas-cli builder/copy.go stats, not lstats), so a committed link below
 * a handler would ship its target as well.
 */
export async function linksStayInside(workspace: string, stackPath: StackPath): Promise<void> {
  const root = await realpath(workspace);
  const real = await realpath(stackPath.path).catch(() => undefined);
  if (real === undefined || !(await stat(real)).isDirectory()) return;
  for (const entry of await readdir(real, { recursive: true, withFileTypes: true })) {
    if (!entry.isSymbolicLink()) continue;
    const link = join(entry.parentPath, entry.name);
    const target = await realpath(link).catch(() => undefined);
    if (target !== undefined && !within(root, target)) {
      const what = `the symlink ${relative(root, link)} in ${JSON.stringify(stackPath.written)}`;
      throw outside(root, target, what, stackPath);
    }
  }
}

function outside(root: string, at: string, what: string, { field, stackFile }: StackPath) {
  return new UserError(
    `${what} resolves to ${at}, outside the workspace ${root}; nothing was built`,
    {
      file: stackFile,
      field,
      hint: 'A build reads only files of the repository: point it at a folder inside the checkout, without ".." or a symlink that leaves it',
    },
  );
}

function within(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The real path of `path`; when it does not exist, that of its nearest existing folder with
 * the rest appended — a missing `template/node20` under a `template` symlink still leaves.
 */
async function resolveExisting(path: string): Promise<{ real: string; exists: boolean }> {
  const missing: string[] = [];
  let at = path;
  for (;;) {
    try {
      return { real: join(await realpath(at), ...missing.reverse()), exists: missing.length === 0 };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(at) === at) throw err;
      missing.push(basename(at));
      at = dirname(at);
    }
  }
}
