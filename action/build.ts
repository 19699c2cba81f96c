// Bundles the action into dist/index.js, the file action.yml runs (runtime node24). The
// bundle is committed: a runner runs the action's repository as checked out, without
// npm install. `npm run build:action` writes it; test/dist.test.ts fails when it is stale.
import { build, type BuildOptions, type Plugin } from 'esbuild';
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
    plugins: [unusedHttpClient],
    logLevel: 'warning',
    // Same bytes from the same sources on any machine: no absolute paths in the output.
    absWorkingDir: root,
  };
}

export const DIST = `${root}dist/index.js`;

/**
 * @actions/core imports @actions/http-client (and with it undici, 2 MB bundled) only for
 * getIDToken, which Greenlight never calls. The package is CommonJS, so esbuild cannot see
 * that loading it does nothing else and would run it at every start; declaring it free of
 * side effects lets the unused import go.
 */
const unusedHttpClient: Plugin = {
  name: 'unused-http-client',
  setup(build) {
    build.onResolve({ filter: /^@actions\/http-client(\/|$)/ }, async (args) => {
      if (args.pluginData === 'resolving') return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: 'resolving',
      });
      return { ...resolved, sideEffects: false };
    });
  },
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await build(bundleOptions(DIST));
}
