#!/usr/bin/env node
// `greenlight-gate`. The gate is imported by its own package name, so this one file runs what
// its package.json exports: the TypeScript sources in the repository and in the image (Node
// 24 strips their types), the compiled dist/ once packed (release/manifest.ts).
import { main } from '@greenlight/gate';

main(process.argv.slice(2)).catch((error) => {
  console.error(`greenlight-gate: ${error.message}`);
  process.exit(2);
});
