#!/usr/bin/env node
// Runs the gate's TypeScript sources with Node >= 24 (type stripping).
import { main } from '../src/main.ts';

main(process.argv.slice(2)).catch((error) => {
  console.error(`greenlight-gate: ${error.message}`);
  process.exit(2);
});
