import type { KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import { interpret } from '@greenlight/core';
import type { Canary, CanaryCondition, TrafficSplit } from 'flagger-types';
import { deployChatbot } from '@greenlight/test-kit/cluster';
import { startCliCluster, type CliCluster } from '@greenlight/test-kit/cluster/cli';
import { setPrimary, setStatus, setWeights } from './flagger.ts';
import { runCli } from '@greenlight/test-kit/processes/run-cli';

const GREEN = '3f2a9c1d0b7e4f5a6c8d9e0f1a2b3c4d5e6f7a8b';
const BLUE = '1111111111111111111111111111111111111111';
const NS = 'openfaas-fn';

let cluster: CliCluster;

beforeAll(async () => {
  cluster = await startCliCluster();
  await deployChatbot(cluster.kube, { revision: GREEN });
  await setPrimary(cluster.kube, BLUE);
  await setWeights(cluster.kube, 30);
  await setStatus(cluster.api, { phase: 'Progressing', canaryWeight: 30, failedChecks: 1 });
});
afterAll(() => cluster.close());

/** The Canary's Promoted condition as Flagger last wrote it. */
async function promotedCondition(): Promise<CanaryCondition> {
  const canary = await cluster.kube.get<Canary & KubernetesObject>({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    namespace: NS,
    name: 'chatbot',
  });
  const promoted = canary?.status?.conditions?.find((condition) => condition.type === 'Promoted');
  if (!promoted) throw new Error('the Canary has no Promoted condition');
  return promoted;
}

/** A transition a minute after `condition`'s: the start of another analysis run. */
function later(condition: CanaryCondition): string {
  const at = Date.parse(condition.lastTransitionTime ?? '') + 60_000;
  return new Date(at).toISOString().replace(/\.\d+Z$/, 'Z');
}

describe('greenlight status', () => {
  it('shows phase, both revisions with their live weights, and failed checks', async () => {
    const { code, out, err } = await runCli(['status', `${NS}/chatbot`], cluster.env);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/^Canary\s+openfaas-fn\/chatbot$/m);
    expect(out).toMatch(/^Phase\s+Progressing$/m);
    expect(out).toMatch(new RegExp(`^Green \\(candidate\\)\\s+${GREEN}\\s+30%$`, 'm'));
    expect(out).toMatch(new RegExp(`^Blue \\(primary\\)\\s+${BLUE}\\s+70%$`, 'm'));
    expect(out).toMatch(/^Step\s+3\/5$/m);
    expect(out).toMatch(/^Failed checks\s+1\/5$/m);
  });

  it('prints the RolloutView with -o json', async () => {
    const { code, out } = await runCli(['status', `${NS}/chatbot`, '-o', 'json'], cluster.env);
    expect(code).toBe(0);
    const get = <T extends KubernetesObject>(apiVersion: string, kind: string, name: string) =>
      cluster.kube.get<T>({ apiVersion, kind, namespace: NS, name });
    const expected = interpret({
      canary: (await get<Canary & KubernetesObject>('flagger.app/v1beta1', 'Canary', 'chatbot'))!,
      route: await get<TrafficSplit & KubernetesObject>(
        'split.smi-spec.io/v1alpha1',
        'TrafficSplit',
        'chatbot',
      ),
      target: await get<V1Deployment>('apps/v1', 'Deployment', 'chatbot'),
      primary: await get<V1Deployment>('apps/v1', 'Deployment', 'chatbot-primary'),
    });
    expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(expected).toMatchObject({ revision: GREEN, weights: { green: 30, blue: 70 } });
  });

  it('says who approved once the revision is approved', async () => {
    await setStatus(cluster.api, { phase: 'WaitingPromotion', canaryWeight: 0 });
    await setWeights(cluster.kube, 50);
    expect((await runCli(['approve', `${NS}/chatbot`, '--by', 'ada'], cluster.env)).code).toBe(0);
    const { out } = await runCli(['status', `${NS}/chatbot`], cluster.env);
    expect(out).toMatch(/^Phase\s+WaitingPromotion$/m);
    // The API stand-in runs without a token here: the API server says system:anonymous.
    expect(out).toMatch(new RegExp(`^Approved\\s+${GREEN} by system:anonymous \\(ada\\)$`, 'm'));
    // status.canaryWeight reads 0 in WaitingPromotion; the TrafficSplit has the real weight.
    expect(out).toMatch(new RegExp(`${GREEN}\\s+50%`));
  });

  it('says the approval was used once its analysis ended and another began, in status and watch', async () => {
    const promoted = await promotedCondition();
    // Flagger's MakeStatusConditions: True at Succeeded, then Unknown again with a new
    // transition time when the next analysis of the same revision begins.
    await setStatus(cluster.api, {
      phase: 'Progressing',
      conditions: [{ ...promoted, reason: 'Progressing', lastTransitionTime: later(promoted) }],
    });
    const { out } = await runCli(['status', `${NS}/chatbot`], cluster.env);
    expect(out).toMatch(
      new RegExp(
        `^Approved\\s+${GREEN} by system:anonymous \\(ada\\); used: promoted or rolled back an earlier analysis$`,
        'm',
      ),
    );
    const watched = await runCli(['watch', `${NS}/chatbot`, '--timeout', '0.2'], cluster.env);
    expect(watched.out).toContain(
      'approval by system:anonymous (ada) used: promoted or rolled back an earlier analysis',
    );
    expect(watched.out).not.toContain('approved by');
  });

  it('says the approval was for another pod template when the Deployment changed under the same revision', async () => {
    await setStatus(cluster.api, { phase: 'WaitingPromotion', canaryWeight: 0 });
    expect((await runCli(['approve', `${NS}/chatbot`], cluster.env)).code).toBe(0);
    const promoted = await promotedCondition();
    const watched = await runCli(['watch', `${NS}/chatbot`, '--timeout', '0.2'], cluster.env);
    expect(watched.out).toContain('approved by system:anonymous');
    // The same run, another template: Flagger's checksum (lastAppliedSpec) moved on.
    await setStatus(cluster.api, {
      phase: 'WaitingPromotion',
      lastAppliedSpec: 'another-template',
      conditions: [promoted],
    });
    const { out } = await runCli(['status', `${NS}/chatbot`], cluster.env);
    expect(out).toMatch(
      new RegExp(
        `^Approved\\s+${GREEN} by system:anonymous; for another pod template: the Deployment changed since it was approved$`,
        'm',
      ),
    );
  });

  it('only reads: it never writes to the API', async () => {
    const before = cluster.api.writes().length;
    await runCli(['status', `${NS}/chatbot`], cluster.env);
    await runCli(['status', `${NS}/chatbot`, '-o', 'json'], cluster.env);
    expect(cluster.api.writes().slice(before)).toEqual([]);
  });

  it('exits 1 with the reason when the cluster cannot be reached', async () => {
    const down = await startCliCluster();
    await down.close();
    const { code, err } = await runCli(['status', `${NS}/chatbot`], down.env);
    expect(code).toBe(1);
    expect(err).toMatch(/^greenlight: .*chatbot/);
  });
});
