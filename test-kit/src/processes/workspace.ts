import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * The folder of workspace `name`, found through its package, whose "." export is
 * src/index.ts: the kit reaches another workspace's files by package, never by a relative path.
 */
export function workspaceDir(name: string): string {
  return dirname(dirname(require.resolve(name)));
}

/** A file of workspace `name`, by its path in that workspace. */
export function workspaceFile(name: string, path: string): string {
  return join(workspaceDir(name), path);
}
