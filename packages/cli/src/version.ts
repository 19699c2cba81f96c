import { readFileSync } from 'node:fs';

/**
 * The CLI's version, from its package.json: one folder up from both src/ (the repository)
 * and dist/ (the published package), so one file answers `--version` in both.
 */
export function cliVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return String(manifest.version);
}
