// Runs the action as a runner does: `node dist/index.js` (the committed bundle; dist.test.ts
// fails when it is older than the sources — run `npm run build:action`) in a Node 24 process
// (Jest's own) with INPUT_* for the
// `with:` block and the GITHUB_* files and variables of a job, then reads back what it
// wrote — outputs, summary, annotations — and its exit code.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOutputs } from '@greenlight/sandbox';
import { workspaceFile } from './workspace.ts';

export const SOURCE_ENTRY = workspaceFile('@greenlight/action', 'src/index.ts');
export const DIST_ENTRY = workspaceFile('@greenlight/action', 'dist/index.js');
export const FIXTURES = workspaceFile('@greenlight/action', 'test/fixtures/');

export interface ActionRun {
  code: number | null;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
  /** `::error::` lines, decoded. */
  errors: string[];
  notices: string[];
  warnings: string[];
  runnerTemp: string;
}

export interface RunOptions {
  inputs: Record<string, string>;
  env?: Record<string, string>;
  entry?: string;
  /** The step's working directory (a runner's is the workspace); the fixtures by default. */
  cwd?: string;
  /** Called with each stdout line as it arrives. */
  onLine?: (line: string) => void;
  /** Called with the action's process once it started, e.g. to signal it as a cancel does. */
  onSpawn?: (child: ChildProcess) => void;
}

export async function runAction(options: RunOptions): Promise<ActionRun> {
  const home = await mkdtemp(join(tmpdir(), 'greenlight-action-'));
  const runnerTemp = join(home, 'temp');
  const outputFile = join(home, 'output');
  const summaryFile = join(home, 'summary');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  await import('node:fs/promises').then((fs) => fs.mkdir(runnerTemp));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    RUNNER_TEMP: runnerTemp,
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_REPOSITORY: 'acme/chatbots',
    GITHUB_SHA: 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_ACTOR: 'octocat',
    GITHUB_RUN_ID: '42',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_WORKSPACE: FIXTURES,
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs))
    env[`INPUT_${name.toUpperCase()}`] = value;

  // GREENLIGHT_ACTION_ENTRY=source runs the sources, for checking a change before the bundle
  // is rebuilt; the tiers run the bundle a runner runs.
  const entry =
    options.entry ?? (process.env.GREENLIGHT_ACTION_ENTRY === 'source' ? SOURCE_ENTRY : DIST_ENTRY);
  const child = spawn(process.execPath, [entry], {
    env,
    cwd: options.cwd ?? FIXTURES,
  });
  options.onSpawn?.(child);
  let stdout = '';
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk;
    partial += chunk;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) options.onLine?.(line);
  });
  child.stderr.on('data', (chunk: Buffer) => (stdout += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const commands = (name: string) =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith(`::${name}`))
      .map((line) => decode(line.slice(line.indexOf('::', 2) + 2)));
  return {
    code,
    stdout,
    outputs: parseOutputs(await readFile(outputFile, 'utf8')),
    summary: existsSync(summaryFile) ? await readFile(summaryFile, 'utf8') : '',
    errors: commands('error'),
    notices: commands('notice'),
    warnings: commands('warning'),
    runnerTemp,
  };
}

function decode(text: string): string {
  return text.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
}
