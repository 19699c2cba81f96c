#!/usr/bin/env node
// `greenlight` and `kubectl-greenlight`: runs the CLI's TypeScript sources with Node >= 24.
import { basename } from 'node:path';
import { run } from '../src/main.ts';

// kubectl finds plugins as `kubectl-<name>` on PATH; its users type `kubectl greenlight`.
const name =
  basename(process.argv[1] ?? '') === 'kubectl-greenlight' ? 'kubectl greenlight' : 'greenlight';
process.exitCode = await run(process.argv.slice(2), undefined, name);
