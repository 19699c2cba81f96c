// Bundles the action into dist/index.js, the file action.yml runs (runtime node24). The
// bundle is committed: a runner runs the action's repository as checked out, without
// npm install. `npm run build:action` writes it; test/dist.test.ts fails when it is stale.
import { build, type BuildOptions } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export function bundleOptions(outfile: string): BuildOptions {
  return {
    entryPoints: [`${root}src/index.ts`],
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    outfile,
    // CommonJS dependencies call require() for Node built-ins; an ES module has none.
    banner: {
      js: "import { createRequire as __greenlightRequire } from 'node:module';\nconst require = __greenlightRequire(import.meta.url);",
    },
    legalComments: 'none',
    logLevel: 'warning',
    // Same bytes from the same sources on any machine: no absolute paths in the output.
    absWorkingDir: root,
  };
}

export const DIST = `${root}dist/index.js`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await build(bundleOptions(DIST));
}
