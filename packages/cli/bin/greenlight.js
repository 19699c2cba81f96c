#!/usr/bin/env node
// `greenlight` and `kubectl-greenlight`: runs the CLI's TypeScript sources with Node >= 24.
import { run } from '../src/main.ts';

process.exitCode = await run(process.argv.slice(2));
