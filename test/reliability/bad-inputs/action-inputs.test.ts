// Runs action-inputs.cases.ts: the action as a runner runs it (node dist/index.js), with
// builder: docker and a recording `docker` first on the PATH, so that a build, a login or a
// push would be seen — none may happen. No write may reach the API (the stand-in's request
// log) and no request GitHub (its stand-in).
import { startTestCluster, type TestCluster } from '@greenlight/test-kit/cluster';
import { runAction, type ActionRun } from '@greenlight/test-kit/processes/run-action';
import { fakeTools, type FakeTools } from '@greenlight/test-kit/stand-ins/tools';
import { startGitHubStandIn, type GitHubStandIn } from '@greenlight/test-kit/stand-ins/github';
import { existingFunction } from '@greenlight/test-kit/flagger/steps';
import { ACTION_CASES, type ActionCase } from './action-inputs.cases.ts';
import { inBatches, missing } from './expect-error.ts';

let cluster: TestCluster;
let github: GitHubStandIn;
let tools: FakeTools;
const runs = new Map<ActionCase, ActionRun>();
let apiWrites: unknown[] = [];
let githubRequests = 0;
let toolCalls: string[] = [];

beforeAll(async () => {
  cluster = await startTestCluster();
  github = await startGitHubStandIn();
  tools = await fakeTools();
  await existingFunction(cluster.kube, 'chatbot', 'v1');
  // A Canary at revision v2 for the promote cases.
  const setup = await runAction({
    inputs: {
      builder: 'none',
      kubeconfig: cluster.api.kubeconfig(),
      'wait-until': 'applied',
      functions: 'chatbot',
      revision: 'v2',
    },
  });
  if (setup.code !== 0) throw new Error(`setup deploy failed:\n${setup.stdout}`);
  const writesBefore = cluster.api.writes().length;
  const results = await inBatches(ACTION_CASES, 4, (row) =>
    runAction({
      inputs: {
        builder: 'docker',
        kubeconfig: cluster.api.kubeconfig(),
        'github-token': 'ghs_test',
        ...row.inputs,
      },
      env: { GITHUB_API_URL: github.url, PATH: `${tools.bin}:${process.env.PATH}` },
    }),
  );
  ACTION_CASES.forEach((row, i) => runs.set(row, results[i] as ActionRun));
  apiWrites = cluster.api.writes().slice(writesBefore);
  githubRequests = github.requests.length;
  toolCalls = await tools.calls();
}, 240_000);

afterAll(async () => {
  await github.close();
  await cluster.close();
});

test('no bad input wrote to the API, called GitHub, or built, logged in or pushed', () => {
  expect(apiWrites).toEqual([]);
  expect(githubRequests).toBe(0);
  expect(toolCalls.filter((call) => /\b(build|push|login)\b/.test(call))).toEqual([]);
});

test.each(ACTION_CASES)('$name: the step fails naming the input and the fix', (row) => {
  const run = runs.get(row) as ActionRun;
  const error = run.errors.join('\n');
  const [input] = row.says;
  expect(error.startsWith(`${input}: `) ? [] : [error || run.stdout.slice(-400)]).toEqual([]);
  expect(missing(error, row.says)).toEqual([]);
  expect(run.code).toBe(1);
});

test('the same setup deploys with builder: docker (the cases above are not refused for another reason)', async () => {
  const run = await runAction({
    inputs: {
      builder: 'docker',
      kubeconfig: cluster.api.kubeconfig(),
      'wait-until': 'applied',
      functions: 'chatbot',
      revision: 'v3',
    },
    env: { PATH: `${tools.bin}:${process.env.PATH}` },
  });
  expect(run.code).toBe(0);
  expect((await tools.calls()).some((call) => call.includes('buildx build'))).toBe(true);
});
