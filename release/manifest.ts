// `prepack` / `postpack` of every published package (flagger-types, core, cli, gate).
// In the repository a package's `exports` and `bin` point at its TypeScript sources, so Node
// (type stripping), Jest and the e2e harness run them without a build, even in processes
// started with a bare environment. Node strips no types under node_modules, so what is
// packed must point at the compiled dist/: prepack copies the fields under
// `publishConfig` that npm itself does not read (exports, bin) over the top-level ones, as
// `backstage-cli package prepack` does for the Backstage packages; postpack puts the
// repository's package.json back.
import { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/** Keys npm reads from publishConfig itself; everything else there is ours to apply. */
const NPM_KEYS = new Set(['access', 'provenance', 'registry', 'tag']);
const MANIFEST = 'package.json';
const SAVED = 'package.json.repo';

function prepack(): void {
  // A pack that died before its postpack left the rewritten file: start from the saved one.
  if (existsSync(SAVED)) renameSync(SAVED, MANIFEST);
  const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
  const publish: Record<string, unknown> = manifest.publishConfig ?? {};
  for (const [key, value] of Object.entries(publish)) {
    if (NPM_KEYS.has(key)) continue;
    manifest[key] = value;
    delete publish[key];
  }
  for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
    if (String(range).startsWith('file:') || String(range).startsWith('workspace:')) {
      throw new Error(
        `${manifest.name}: dependency ${name} is "${range}", which no registry can serve`,
      );
    }
  }
  copyFileSync(MANIFEST, SAVED);
  writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
}

function postpack(): void {
  if (existsSync(SAVED)) renameSync(SAVED, MANIFEST);
}

const step = process.argv[2];
if (step === 'prepack') prepack();
else if (step === 'postpack') postpack();
else {
  console.error('usage: node release/manifest.ts prepack|postpack (run by npm pack in a package)');
  process.exit(2);
}
