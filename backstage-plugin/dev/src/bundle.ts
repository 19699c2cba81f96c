// Bundles the dev app's frontend (src/app) for the browser with esbuild, into dist/.
// A cold build of Backstage's frontend takes a few seconds; it runs at every start so the
// page always shows the plugin's current source.
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const APP = fileURLToPath(new URL('./app/', import.meta.url));
export const DIST = fileURLToPath(new URL('../dist/', import.meta.url));

export async function bundleApp(): Promise<string> {
  await rm(DIST, { recursive: true, force: true });
  await mkdir(DIST, { recursive: true });
  await build({
    entryPoints: [`${APP}index.tsx`],
    outdir: DIST,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    minify: true,
    sourcemap: true,
    logLevel: 'error',
    // What Backstage's webpack config provides to browser code written for Node.
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    alias: { 'csv-stringify/lib/sync': `${APP}csv-stringify-stub.js` },
    loader: {
      '.svg': 'file',
      '.png': 'file',
      '.woff': 'file',
      '.woff2': 'file',
      '.ttf': 'file',
      '.eot': 'file',
    },
  });
  await copyFile(`${APP}index.html`, `${DIST}index.html`);
  return DIST;
}
