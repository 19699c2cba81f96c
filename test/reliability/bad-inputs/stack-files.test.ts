// Runs stack-files.cases.ts through both readers of stack.yml a user meets: `greenlight
// render --stack` (exit 2) and the action's deploy (the step fails, its error names the
// stack-file input). Neither may write to the API; the action may not build, log in or
// push (a recording `docker` is on its PATH with builder: docker, so an attempt would show),
// nor call GitHub.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestCluster, type TestCluster } from '@greenlight/test-kit/cluster';
import { runAction, type ActionRun } from '@greenlight/test-kit/processes/run-action';
import { fakeTools, type FakeTools } from '@greenlight/test-kit/stand-ins/tools';
import { startGitHubStandIn, type GitHubStandIn } from '@greenlight/test-kit/stand-ins/github';
import { existingFunction } from '@greenlight/test-kit/flagger/steps';
import { EMPTY_HOME } from '@greenlight/test-kit/processes/run-cli';
import { CLI_BIN, exec, type Exited } from '@greenlight/test-kit/processes/spawn';
import { STACK_CASES, type StackCase } from './stack-files.cases.ts';
import { inBatches, missing } from './expect-error.ts';

// One folder per case, each with its stack.yml, so every error names the same file name.
const WORKSPACE = mkdtempSync(join(tmpdir(), 'greenlight-bad-stacks-'));
const folderOf = (row: StackCase) => `case-${STACK_CASES.indexOf(row)}`;
for (const row of STACK_CASES) {
  const folder = join(WORKSPACE, folderOf(row));
  mkdirSync(folder);
  if (row.text === 'folder') mkdirSync(join(folder, 'stack.yml'));
  else if (row.text !== 'missing') writeFileSync(join(folder, 'stack.yml'), row.text);
}

let cluster: TestCluster;
let github: GitHubStandIn;
let tools: FakeTools;
const cli = new Map<StackCase, Exited>();
const action = new Map<StackCase, ActionRun>();
let apiWrites: unknown[] = [];
let githubRequests = 0;
let toolCalls: string[] = [];

beforeAll(async () => {
  cluster = await startTestCluster();
  github = await startGitHubStandIn();
  tools = await fakeTools();
  await existingFunction(cluster.kube, 'bot', 'v1');
  const kubeconfig = join(WORKSPACE, 'kubeconfig');
  writeFileSync(kubeconfig, cluster.api.kubeconfig());
  const writesBefore = cluster.api.writes().length;

  const cliRuns = await inBatches(STACK_CASES, 4, (row) =>
    exec(CLI_BIN, ['render', '--stack', join(WORKSPACE, folderOf(row), 'stack.yml')], {
      HOME: EMPTY_HOME,
      KUBECONFIG: kubeconfig,
    }),
  );
  const actionRuns = await inBatches(STACK_CASES, 4, (row) =>
    runAction({
      inputs: {
        builder: 'docker',
        'stack-file': `${folderOf(row)}/stack.yml`,
        kubeconfig: cluster.api.kubeconfig(),
        'github-token': 'ghs_test',
      },
      cwd: WORKSPACE,
      env: {
        GITHUB_WORKSPACE: WORKSPACE,
        GITHUB_API_URL: github.url,
        PATH: `${tools.bin}:${process.env.PATH}`,
      },
    }),
  );
  STACK_CASES.forEach((row, i) => {
    cli.set(row, cliRuns[i] as Exited);
    action.set(row, actionRuns[i] as ActionRun);
  });
  apiWrites = cluster.api.writes().slice(writesBefore);
  githubRequests = github.requests.length;
  toolCalls = await tools.calls();
}, 180_000);

afterAll(async () => {
  await github.close();
  await cluster.close();
});

test('no bad stack file reached the API, GitHub or the builder', () => {
  expect(apiWrites).toEqual([]);
  expect(githubRequests).toBe(0);
  expect(toolCalls.filter((call) => /\b(build|push|login)\b/.test(call))).toEqual([]);
});

describe('greenlight render --stack', () => {
  test.each(STACK_CASES)('$name: exits 2 naming the field and the fix', (row) => {
    const run = cli.get(row) as Exited;
    expect(missing(run.err, row.says)).toEqual([]);
    expect(run.out).toBe('');
    expect(run.code).toBe(2);
  });
});

describe('the action (deploy)', () => {
  test.each(STACK_CASES)('$name: fails naming the file, the field and the fix', (row) => {
    const run = action.get(row) as ActionRun;
    const error = run.errors.join('\n');
    // The stack-file input when the file itself is at fault, else the file as the user named it.
    const named =
      error.startsWith('stack-file: ') || error.startsWith(`${folderOf(row)}/stack.yml`);
    expect([named, error]).toEqual([true, error]);
    expect(missing(error, row.says)).toEqual([]);
    expect(run.code).toBe(1);
  });
});
