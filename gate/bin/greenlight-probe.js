#!/usr/bin/env node
// `greenlight-probe`, imported by its package name like bin/greenlight-gate.js: the TypeScript
// sources in the repository and the image, the compiled dist/ once packed.
import { probeMain } from '@greenlight/gate';

probeMain(process.argv.slice(2)).catch((error) => {
  console.error(`greenlight-probe: ${error.message}`);
  process.exit(2);
});
