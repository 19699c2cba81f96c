// Runs cli-flags.cases.ts: each mistake, run through the CLI's entry point in-process (the
// code its bin sets as the process's exit code; stack-files.test.ts runs the bin itself), exits 2 with an error that names the culprit and the fix, prints nothing on
// stdout and sends no write to the API (the stand-in's request log).
import { REVISION_ANNOTATION } from '@greenlight/core';
import { deployChatbot } from '@greenlight/test-kit/cluster';
import { writeCanaryStatus } from '@greenlight/test-kit/flagger';
import { startCliCluster, type CliCluster } from '@greenlight/test-kit/cluster/cli';
import { runCli, type CliResult } from '@greenlight/test-kit/processes/run-cli';
import { CLI_CASES, CLI_CLUSTER, type CliCase } from './cli-flags.cases.ts';
import { inBatches, missing } from './expect-error.ts';

let cluster: CliCluster;
const runs = new Map<CliCase, CliResult>();

beforeAll(async () => {
  cluster = await startCliCluster();
  await deployChatbot(cluster.kube, { revision: CLI_CLUSTER.revision });
  await deployChatbot(cluster.kube, { name: CLI_CLUSTER.unstamped, revision: 'rev-x' });
  await cluster.kube.mergePatch(
    { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'openfaas-fn', name: 'unstamped' },
    { spec: { template: { metadata: { annotations: { [REVISION_ANNOTATION]: null } } } } },
  );
  const writesBefore = cluster.api.writes().length;
  const results = await inBatches(CLI_CASES, 4, (row) =>
    runCli(row.argv, { ...cluster.env, ...row.env }),
  );
  CLI_CASES.forEach((row, i) => runs.set(row, results[i] as CliResult));
  writes = cluster.api.writes().slice(writesBefore);
}, 60_000);
afterAll(() => cluster.close());

let writes: unknown[] = [];

test('no mistake sent a single write to the API', () => {
  expect(writes).toEqual([]);
});

test.each(CLI_CASES)('$name: exits 2 naming the culprit and the fix', (row) => {
  const run = runs.get(row) as CliResult;
  expect(missing(run.err, row.says)).toEqual([]);
  expect(run.out).toBe('');
  expect(run.code).toBe(2);
});

test('the same cluster takes a correct approval (the cases above are not refused for another reason)', async () => {
  // Flagger now analyses the revision: there is an analysis to approve.
  await writeCanaryStatus(
    cluster.api.url,
    { namespace: 'openfaas-fn', name: 'chatbot' },
    'Progressing',
  );
  const run = await runCli(
    ['approve', 'openfaas-fn/chatbot', '--revision', CLI_CLUSTER.revision],
    cluster.env,
  );
  expect(run.code).toBe(0);
  expect(cluster.api.writes().length).toBeGreaterThan(0);
});
