#!/usr/bin/env node
// `greenlight` and `kubectl-greenlight`: runs the CLI's TypeScript sources with Node >= 24.
import module from 'node:module';
import { basename } from 'node:path';

// Node's on-disk compile cache (in the OS temp folder) cuts a third off every later start;
// the CLI is imported after enabling it, so its modules are cached too.
module.enableCompileCache?.();
const { run } = await import('../src/main.ts');

// kubectl finds plugins as `kubectl-<name>` on PATH; its users type `kubectl greenlight`.
const name =
  basename(process.argv[1] ?? '') === 'kubectl-greenlight' ? 'kubectl greenlight' : 'greenlight';
process.exitCode = await run(process.argv.slice(2), undefined, name);
