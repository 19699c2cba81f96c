import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The Greenlight action run as a GitHub runner runs a `node24` action: `node dist/index.js`
// with each `with:` input as INPUT_<NAME> (upper-cased, spaces to `_`, dashes kept) and the
// job's GITHUB_* files and variables. The environment is built from scratch, not inherited,
// so a demo started inside a CI job does not hand that job's GITHUB_* to the action.

export const ACTION_ENTRY = fileURLToPath(
  new URL('../../../action/dist/index.js', import.meta.url),
);

export interface ActionRun {
  inputs: Record<string, string>;
  /** GITHUB_SHA: the commit the runner checked out; the action's default revision. */
  sha: string;
  actor: string;
  /** GITHUB_WORKSPACE and the step's working directory. */
  workspace: string;
  /** Each stdout and stderr line as it arrives, workflow commands (`::group::` …) included. */
  onLine: (line: string) => void;
  signal: AbortSignal;
}

export interface ActionResult {
  code: number | null;
  outputs: Record<string, string>;
}

export async function runAction(run: ActionRun): Promise<ActionResult> {
  const home = await mkdtemp(join(tmpdir(), 'greenlight-demo-runner-'));
  try {
    const runnerTemp = join(home, 'temp');
    await mkdir(runnerTemp);
    const outputFile = join(home, 'output');
    const summaryFile = join(home, 'summary');
    await writeFile(outputFile, '');
    await writeFile(summaryFile, '');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: home,
      RUNNER_TEMP: runnerTemp,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_SHA: run.sha,
      GITHUB_ACTOR: run.actor,
      GITHUB_WORKSPACE: run.workspace,
      GITHUB_EVENT_NAME: 'push',
    };
    for (const [name, value] of Object.entries(run.inputs)) {
      env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
    }
    const child = spawn(process.execPath, [ACTION_ENTRY], {
      env,
      cwd: run.workspace,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const code = await exited(child, run.onLine, run.signal);
    return { code, outputs: parseOutputs(await readFile(outputFile, 'utf8')) };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

function exited(
  child: ChildProcess,
  onLine: (line: string) => void,
  signal: AbortSignal,
): Promise<number | null> {
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
    stream?.on('end', () => partial && onLine(partial));
  }
  // Ctrl-C in a raw-mode terminal reaches only the demo, so the demo stops the step itself.
  const stop = () => child.kill('SIGTERM');
  signal.addEventListener('abort', stop, { once: true });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      signal.removeEventListener('abort', stop);
      resolve(code);
    });
  });
}

/** The `name<<delimiter` blocks @actions/core writes to GITHUB_OUTPUT (the test kit reads them too). */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i] as string);
    if (!match) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== match[2]; i++) value.push(lines[i] as string);
    outputs[match[1] as string] = value.join('\n');
  }
  return outputs;
}
