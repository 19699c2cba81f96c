#!/usr/bin/env node
// `greenlight` and `kubectl-greenlight`. The CLI is imported by its own package name, so this
// one file runs what its package.json exports: the TypeScript sources in the repository (Node
// 24 strips their types) and the compiled dist/ once packed (release/manifest.ts), where Node
// 22 and 24 run it from node_modules.
import module from 'node:module';
import { basename } from 'node:path';

// Node's on-disk compile cache (in the OS temp folder) cuts a third off every later start;
// the CLI is imported after enabling it, so its modules are cached too.
module.enableCompileCache?.();
const { run } = await import('@greenlight/cli');

// kubectl finds plugins as `kubectl-<name>` on PATH; its users type `kubectl greenlight`.
const name =
  basename(process.argv[1] ?? '') === 'kubectl-greenlight' ? 'kubectl greenlight' : 'greenlight';
process.exitCode = await run(process.argv.slice(2), undefined, name);
