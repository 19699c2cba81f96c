// What a Backstage app that installs the three published packages relies on, checked from
// their package.json files and sources: in the monorepo every workspace sees every other, so
// a missing dependency or a test library in `dependencies` shows only once installed
// (the adoption tier, test/adoption/backstage-app.test.ts, installs them for real).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PLUGIN = fileURLToPath(new URL('../..', import.meta.url));
const PACKAGES = ['common', 'backend', 'frontend'] as const;
const TEST_LIBRARIES =
  /^(@testing-library\/|@backstage\/(backend-|frontend-)?test-utils$|jest|supertest$|@types\/supertest$|msw$)/;

interface Manifest {
  name: string;
  private?: boolean;
  license?: string;
  files?: string[];
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  backstage?: { role?: string };
}

const manifest = (dir: string): Manifest =>
  JSON.parse(readFileSync(join(PLUGIN, dir, 'package.json'), 'utf8')) as Manifest;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry) ? [path] : [];
  });
}

/** Package names the sources import (type-only imports too: the published .d.ts keep them). */
function importedPackages(dir: string): Set<string> {
  const names = new Set<string>();
  for (const file of sources(join(PLUGIN, dir, 'src'))) {
    for (const [, specifier = ''] of readFileSync(file, 'utf8').matchAll(/from '([^.'][^']*)'/g)) {
      if (specifier.startsWith('node:')) continue;
      const parts = specifier.split('/');
      names.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? ''));
    }
  }
  return names;
}

describe.each(PACKAGES)('the published %s package', (dir) => {
  const pkg = manifest(dir);

  test('declares every package its sources import as a dependency or peer', () => {
    const declared = new Set([
      ...Object.keys(pkg.dependencies ?? {}),
      ...Object.keys(pkg.peerDependencies ?? {}),
    ]);
    const missing = [...importedPackages(dir)].filter((name) => !declared.has(name));
    expect(missing).toEqual([]);
  });

  test('keeps test libraries out of its dependencies', () => {
    const shipped = Object.keys(pkg.dependencies ?? {}).filter((name) => TEST_LIBRARIES.test(name));
    expect(shipped).toEqual([]);
  });

  test('is publishable as a Backstage package: built and packed by backstage-cli, dist only, Apache-2.0', () => {
    expect(pkg.private).toBeUndefined();
    expect(pkg.license).toBe('Apache-2.0');
    expect(existsSync(join(PLUGIN, dir, 'LICENSE'))).toBe(true);
    expect(existsSync(join(PLUGIN, dir, 'README.md'))).toBe(true);
    expect(pkg.files).toContain('dist');
    expect(pkg.scripts?.build).toMatch(/backstage-cli package build/);
    expect(pkg.scripts?.prepack).toBe('backstage-cli package prepack');
    expect(pkg.scripts?.postpack).toBe('backstage-cli package postpack');
    expect(pkg.backstage?.role).toBeDefined();
  });
});
