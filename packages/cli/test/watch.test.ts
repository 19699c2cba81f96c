import { deployChatbot, eventually } from '@greenlight/test-kit/cluster';
import { startCliCluster, type CliCluster } from '@greenlight/test-kit/cluster/cli';
import { setPrimary, setStatus, setWeights } from './flagger.ts';
import { startCli } from '@greenlight/test-kit/processes/run-cli';

const NS = 'openfaas-fn';
const BLUE = 'rev-blue';

let cluster: CliCluster;
let canary = 0;

beforeAll(async () => {
  cluster = await startCliCluster();
});
afterAll(() => cluster.close());

/** A fresh chatbot per test (its own name), at the start of an analysis of `green`. */
async function rolloutOf(green: string): Promise<string> {
  const name = `chatbot-${++canary}`;
  await deployChatbot(cluster.kube, { name, revision: green });
  await setPrimary(cluster.kube, BLUE, name);
  await setWeights(cluster.kube, 0, name);
  await setStatus(cluster.api, { phase: 'Progressing' }, name);
  return name;
}

const lines = (text: string) => text.split('\n').filter(Boolean);

describe('greenlight watch', () => {
  it('prints a line per change and exits 0 when the rollout succeeds', async () => {
    const name = await rolloutOf('rev-green');
    const watch = startCli(['watch', `${NS}/${name}`, '--timeout', '10'], cluster.env);
    await eventually(() => lines(watch.out()).length === 1);
    expect(watch.out()).toMatch(/openfaas-fn\/chatbot-\d+ {2}Progressing {2}green 0% \/ blue 100%/);

    await setWeights(cluster.kube, 10, name);
    await eventually(() => lines(watch.out()).length === 2);
    expect(lines(watch.out())[1]).toContain('green 10% / blue 90%  step 1/5');

    await setWeights(cluster.kube, 50, name);
    await setStatus(cluster.api, { phase: 'WaitingPromotion' }, name);
    await eventually(() => watch.out().includes('awaiting approval'));

    // Promotion: Flagger copies green's pod template to the primary, then routes all to it.
    await setStatus(cluster.api, { phase: 'Promoting' }, name);
    await setPrimary(cluster.kube, 'rev-green', name);
    await setWeights(cluster.kube, 0, name);
    await setStatus(cluster.api, { phase: 'Succeeded' }, name);

    const { code, out, err } = await watch.done;
    expect(err).toBe('');
    expect(code).toBe(0);
    const phases = lines(out).map((line) => line.split('  ')[2]);
    expect(phases[phases.length - 1]).toBe('Succeeded');
    expect(new Set(phases)).toEqual(
      new Set(['Progressing', 'WaitingPromotion', 'Promoting', 'Succeeded']),
    );
    // No line repeats the one before it.
    const withoutTime = lines(out).map((line) => line.slice(9));
    expect(withoutTime.every((line, i) => i === 0 || line !== withoutTime[i - 1])).toBe(true);
  });

  it('exits 1 when Flagger rolls the revision back', async () => {
    const name = await rolloutOf('rev-bad');
    const watch = startCli(['watch', `${NS}/${name}`, '--timeout', '10'], cluster.env);
    await eventually(() => watch.out() !== '');
    await setStatus(cluster.api, { phase: 'Progressing', failedChecks: 5 }, name);
    await setStatus(cluster.api, { phase: 'Failed', failedChecks: 5 }, name);

    const { code, out } = await watch.done;
    expect(code).toBe(1);
    expect(out).toContain('failed checks 5/5');
    expect(lines(out).at(-1)).toContain('Failed');
  });

  it('exits at once with the verdict of a rollout that already ended', async () => {
    const name = await rolloutOf('rev-done');
    await setPrimary(cluster.kube, 'rev-done', name);
    await setStatus(cluster.api, { phase: 'Succeeded' }, name);
    const watch = startCli(['watch', `${NS}/${name}`], cluster.env);
    const { code, out } = await watch.done;
    expect(code).toBe(0);
    expect(lines(out)).toHaveLength(1);
  });

  it('gives up with exit 1 when --timeout passes', async () => {
    const name = await rolloutOf('rev-slow');
    const { code, err } = await startCli(
      ['watch', `${NS}/${name}`, '--timeout', '0.3'],
      cluster.env,
    ).done;
    expect(code).toBe(1);
    expect(err).toContain(`${NS}/${name} did not finish within 0.3s`);
  });

  it('exits 1 when the Canary is deleted under it', async () => {
    const name = await rolloutOf('rev-gone');
    const watch = startCli(['watch', `${NS}/${name}`, '--timeout', '10'], cluster.env);
    await eventually(() => watch.out() !== '');
    await fetch(`${cluster.api.url}/apis/flagger.app/v1beta1/namespaces/${NS}/canaries/${name}`, {
      method: 'DELETE',
    });
    const { code, err } = await watch.done;
    expect(code).toBe(1);
    expect(err).toContain('was deleted');
  });

  it('stops on Ctrl-C', async () => {
    const name = await rolloutOf('rev-ctrl-c');
    const watch = startCli(['watch', `${NS}/${name}`], cluster.env);
    await eventually(() => watch.out() !== '');
    watch.interrupt();
    expect((await watch.done).code).toBe(1);
  });
});
