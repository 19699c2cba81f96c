import { APPROVED_BY, APPROVED_REVISION, ABORT_REVISION, ABORT_BY } from '@greenlight/core';
import type { Canary } from 'flagger-types';
import { deployChatbot } from '../../../test/support/cluster.ts';
import { startCliCluster, type CliCluster } from './cli-cluster.ts';
import { runCli } from './run-cli.ts';

const NS = 'openfaas-fn';

let cluster: CliCluster;

beforeAll(async () => {
  cluster = await startCliCluster();
});
afterAll(() => cluster.close());

async function annotations(name: string): Promise<Record<string, string>> {
  const canary = await cluster.kube.get<Canary>({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    namespace: NS,
    name,
  });
  return canary?.metadata.annotations ?? {};
}

describe('greenlight approve and abort', () => {
  it('approves the revision under analysis, by the user running it', async () => {
    await deployChatbot(cluster.kube, { name: 'approve-me', revision: 'rev-a' });
    const { code, out } = await runCli(['approve', `${NS}/approve-me`], {
      ...cluster.env,
      USER: 'grace',
    });
    expect(code).toBe(0);
    expect(out).toBe(`${NS}/approve-me: revision rev-a approved for promotion by grace\n`);
    expect(await annotations('approve-me')).toMatchObject({
      [APPROVED_REVISION]: 'rev-a',
      [APPROVED_BY]: 'grace',
    });
  });

  it('approves with --revision when it names the revision under analysis, recording --by', async () => {
    await deployChatbot(cluster.kube, { name: 'reviewed', revision: 'rev-b' });
    const args = ['approve', `${NS}/reviewed`, '--revision', 'rev-b', '--by', 'ci-bot'];
    expect((await runCli(args, cluster.env)).code).toBe(0);
    expect(await annotations('reviewed')).toMatchObject({ [APPROVED_BY]: 'ci-bot' });
  });

  it('marks the revision under analysis for rollback with abort', async () => {
    await deployChatbot(cluster.kube, { name: 'abort-me', revision: 'rev-c' });
    const { code, out } = await runCli(['abort', `${NS}/abort-me`, '--by', 'lin'], cluster.env);
    expect(code).toBe(0);
    expect(out).toBe(`${NS}/abort-me: revision rev-c marked for rollback by lin\n`);
    expect(await annotations('abort-me')).toMatchObject({
      [ABORT_REVISION]: 'rev-c',
      [ABORT_BY]: 'lin',
    });
  });

  it('refuses to approve a revision that was aborted, and writes nothing', async () => {
    await deployChatbot(cluster.kube, { name: 'aborted', revision: 'rev-d' });
    expect((await runCli(['abort', `${NS}/aborted`], cluster.env)).code).toBe(0);
    const before = cluster.api.writes().length;
    const { code, err } = await runCli(['approve', `${NS}/aborted`], cluster.env);
    expect(code).toBe(2);
    expect(err).toContain('an abort wins over an approval');
    expect(err).toContain(`Remove the ${ABORT_REVISION} annotation`);
    expect(cluster.api.writes().slice(before)).toEqual([]);
  });
});
