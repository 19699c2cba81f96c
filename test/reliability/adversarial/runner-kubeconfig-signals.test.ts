// The runner cancels a job by sending the step SIGINT, then SIGTERM. Node's default for
// either is to die on the spot, and the kubeconfig the action wrote from its input stayed in
// RUNNER_TEMP — on a self-hosted runner, for the next job (or anyone on the machine) to
// read. Cancelled mid-run, the action removes it and exits as a shell reports the signal.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestCluster, type TestCluster } from '@greenlight/test-kit/cluster';
import { runAction } from '@greenlight/test-kit/processes/run-action';
import { existingFunction } from '@greenlight/test-kit/flagger/steps';

let cluster: TestCluster;
beforeEach(async () => {
  cluster = await startTestCluster();
  await existingFunction(cluster.kube, 'chatbot', 'v1');
});
afterEach(() => cluster.close());

test.each([
  ['SIGTERM', 143],
  ['SIGINT', 130],
] as const)(
  '%s while the rollout is followed leaves no kubeconfig in RUNNER_TEMP (exit %d)',
  async (signal, code) => {
    const runnerTemp = join(await mkdtemp(join(tmpdir(), 'greenlight-runner-')), 'temp');
    await mkdir(runnerTemp);
    let written: string[] = [];
    const run = await runAction({
      inputs: {
        kubeconfig: cluster.api.kubeconfig(),
        builder: 'none',
        functions: 'chatbot',
        revision: 'v2',
        // No Flagger runs here: the follow waits until it is cancelled.
        'wait-until': 'done',
        timeout: '2m',
      },
      env: { RUNNER_TEMP: runnerTemp },
      onSpawn: (child) => {
        const poll = setInterval(async () => {
          const folders = await readdir(runnerTemp);
          const files = folders.map((f) => join(runnerTemp, f, 'kubeconfig')).filter(existsSync);
          // Cancel once the kubeconfig is on disk and the Canary is being followed.
          if (files.length === 0 || !(await applied())) return;
          clearInterval(poll);
          written = await Promise.all(files.map((f) => readFile(f, 'utf8')));
          child.kill(signal);
        }, 50);
        child.on('close', () => clearInterval(poll));
      },
    });
    expect(written).toEqual([cluster.api.kubeconfig().trim()]);
    expect(await readdir(runnerTemp)).toEqual([]);
    expect(run.code).toBe(code);
  },
);

/** Whether the deploy applied the Canary (it is following the rollout now). */
async function applied(): Promise<boolean> {
  const canary = await cluster.kube.get({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    namespace: 'openfaas-fn',
    name: 'chatbot',
  });
  return canary !== undefined;
}
