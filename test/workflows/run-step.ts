// Runs a workflow step's `run:` script the way a Linux runner does (GitHub's default shell,
// `bash --noprofile --norc -eo pipefail {0}`), in a folder of the test's choosing, so a
// release step is tested by executing it rather than by reading it.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Workflow } from './workflow-files.ts';

export interface StepResult {
  code: number;
  stdout: string;
  stderr: string;
  /** What the step appended to $GITHUB_OUTPUT. */
  outputs: Record<string, string>;
}

/** The script of the step named `name` in job `job`; throws naming both when missing. */
export function stepScript(workflow: Workflow, job: string, name: string): string {
  const step = workflow.jobs[job]?.steps?.find((s) => (s as { name?: string }).name === name);
  if (!step?.run) throw new Error(`job ${job} has no step named "${name}" with a run script`);
  return step.run;
}

export function runStep(
  script: string,
  cwd: string,
  env: Record<string, string> = {},
): Promise<StepResult> {
  const scratch = mkdtempSync(join(tmpdir(), 'greenlight-step-'));
  const file = join(scratch, 'step.sh');
  const output = join(scratch, 'github-output');
  writeFileSync(file, script);
  writeFileSync(output, '');
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['--noprofile', '--norc', '-eo', 'pipefail', file],
      { cwd, env: { PATH: process.env.PATH ?? '', GITHUB_OUTPUT: output, ...env } },
      (error, stdout, stderr) => {
        const outputs = Object.fromEntries(
          readLines(output).map((line) => [
            line.slice(0, line.indexOf('=')),
            line.slice(line.indexOf('=') + 1),
          ]),
        );
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr, outputs });
      },
    );
  });
}

function readLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.includes('='));
}
