// The committed bundle is what runners execute; it must be the build of these sources.
import { build } from 'esbuild';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleOptions, DIST } from '../build.ts';

test('dist/index.js is the bundle of the current sources (run npm run build:action if not)', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'greenlight-dist-'));
  try {
    const fresh = join(folder, 'index.js');
    await build(bundleOptions(fresh));
    const [rebuilt, committed] = await Promise.all([
      readFile(fresh, 'utf8'),
      readFile(DIST, 'utf8'),
    ]);
    // toBe would print megabytes; say where they part instead.
    const at = [...rebuilt].findIndex((char, i) => char !== committed[i]);
    expect({
      stale: rebuilt !== committed,
      firstDifference: rebuilt === committed ? -1 : at,
    }).toEqual({
      stale: false,
      firstDifference: -1,
    });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}, 60_000);
