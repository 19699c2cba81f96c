// `greenlight approve` and `abort` run as processes against the API stand-in, which
// authenticates two bearer tokens as two users, as a real API server's token authenticator
// would: the approver recorded is the user the API server names, and `--by` only a note.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig, type V1Deployment } from '@kubernetes/client-node';
import {
  ABORT_ANALYSIS,
  ABORT_BY,
  ABORT_NOTE,
  ABORT_REVISION,
  APPROVED_BY,
  APPROVED_NOTE,
  APPROVED_REVISION,
  APPROVED_TEMPLATE,
  createKubeClient,
  templateHash,
  type KubeClient,
} from '@greenlight/core';
import { renderKubeconfig, startApiServer, type ApiServer } from '@greenlight/sandbox';
import type { Canary } from 'flagger-types';
import { deployChatbot } from '@greenlight/test-kit/cluster';
import { writeCanaryStatus } from '@greenlight/test-kit/flagger';
import { runBin } from '@greenlight/test-kit/processes/run-bin';

const NS = 'openfaas-fn';
const ADMIN_TOKEN = 'admin-token';
const CI_TOKEN = 'ci-token';
const CI_USER = 'system:serviceaccount:ci:greenlight-approver';

let api: ApiServer;
let kube: KubeClient;
/** The environment of a shell whose KUBECONFIG holds the admin's token, and the CI one's. */
let admin: NodeJS.ProcessEnv;
let ci: NodeJS.ProcessEnv;

beforeAll(async () => {
  api = await startApiServer({ token: ADMIN_TOKEN, users: { [CI_TOKEN]: { username: CI_USER } } });
  const kc = new KubeConfig();
  kc.loadFromString(api.kubeconfig());
  kube = createKubeClient(kc);
  const dir = mkdtempSync(join(tmpdir(), 'greenlight-cli-approval-'));
  const file = (name: string, token: string) => {
    writeFileSync(join(dir, name), renderKubeconfig(api.url, token), { mode: 0o600 });
    return join(dir, name);
  };
  // USER is what the CLI used to record; it must not matter now.
  admin = { KUBECONFIG: file('admin', ADMIN_TOKEN), USER: 'root' };
  ci = { KUBECONFIG: file('ci', CI_TOKEN), USER: 'root' };
});
afterAll(() => api.close());

/** A chatbot at `revision` whose analysis Flagger runs, held at WaitingPromotion. */
async function analysing(name: string, revision: string): Promise<void> {
  await deployChatbot(kube, { name, revision });
  await writeCanaryStatus(api.url, { namespace: NS, name, token: ADMIN_TOKEN }, 'WaitingPromotion');
}

async function annotations(name: string): Promise<Record<string, string>> {
  const canary = await kube.get<Canary>({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    namespace: NS,
    name,
  });
  return canary?.metadata.annotations ?? {};
}

describe('greenlight approve and abort', () => {
  it('records as approver the user the API server authenticated, and --by only as the note', async () => {
    await Promise.all([analysing('by-admin', 'rev-a'), analysing('by-ci', 'rev-b')]);
    const [asAdmin, asCi] = await Promise.all([
      runBin(['approve', `${NS}/by-admin`, '--by', 'grace'], admin),
      runBin(['approve', `${NS}/by-ci`, '--revision', 'rev-b', '--by', 'grace'], ci),
    ]);
    expect(asAdmin).toEqual({
      code: 0,
      out: `${NS}/by-admin: revision rev-a approved for promotion by sandbox-admin (grace)\n`,
      err: '',
    });
    expect(asCi.out).toBe(
      `${NS}/by-ci: revision rev-b approved for promotion by ${CI_USER} (grace)\n`,
    );
    expect(await annotations('by-admin')).toMatchObject({
      [APPROVED_REVISION]: 'rev-a',
      [APPROVED_BY]: 'sandbox-admin',
      [APPROVED_NOTE]: 'grace',
    });
    expect(await annotations('by-ci')).toMatchObject({
      [APPROVED_REVISION]: 'rev-b',
      [APPROVED_BY]: CI_USER,
      [APPROVED_NOTE]: 'grace',
    });
  });

  it('records no note without --by, and never the local user name', async () => {
    await analysing('no-note', 'rev-c');
    const { code, out } = await runBin(['approve', `${NS}/no-note`], ci);
    expect(code).toBe(0);
    expect(out).toBe(`${NS}/no-note: revision rev-c approved for promotion by ${CI_USER}\n`);
    const written = await annotations('no-note');
    expect(written[APPROVED_BY]).toBe(CI_USER);
    expect(written).not.toHaveProperty([APPROVED_NOTE]);
    expect(Object.values(written)).not.toContain('root');
  });

  it('marks the revision under analysis for rollback, by the authenticated user, --by as the note', async () => {
    await analysing('abort-me', 'rev-d');
    const { code, out } = await runBin(['abort', `${NS}/abort-me`, '--by', 'lin'], ci);
    expect(code).toBe(0);
    expect(out).toBe(`${NS}/abort-me: revision rev-d marked for rollback by ${CI_USER} (lin)\n`);
    const written = await annotations('abort-me');
    expect(written).toMatchObject({
      [ABORT_REVISION]: 'rev-d',
      [ABORT_BY]: CI_USER,
      [ABORT_NOTE]: 'lin',
    });
    // ...for this run only: a later deploy of rev-d is not rolled back by it.
    const canary = await kube.get<Canary>({
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      namespace: NS,
      name: 'abort-me',
    });
    const run = canary?.status?.conditions?.find((c) => c.type === 'Promoted');
    expect(written[ABORT_ANALYSIS]).toBe(run?.lastTransitionTime);
  });

  it('approves the pod template the target holds: the approval records its hash', async () => {
    await analysing('template', 'rev-t');
    expect((await runBin(['approve', `${NS}/template`], ci)).code).toBe(0);
    const target = await kube.get<V1Deployment>({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: NS,
      name: 'template',
    });
    expect((await annotations('template'))[APPROVED_TEMPLATE]).toBe(templateHash(target));
  });

  it('refuses to abort before Flagger analyses the revision, says to wait, exits 2 and writes nothing', async () => {
    await deployChatbot(kube, { name: 'abort-not-yet', revision: 'rev-g' });
    const before = api.writes().length;
    const { code, out, err } = await runBin(['abort', `${NS}/abort-not-yet`], admin);
    expect({ code, out }).toEqual({ code: 2, out: '' });
    expect(err).toContain(`Flagger is not analysing revision rev-g of Canary ${NS}/abort-not-yet`);
    expect(err).toContain(`wait until Flagger has started analysing rev-g`);
    expect(api.writes().slice(before)).toEqual([]);
  });

  it('refuses to approve before Flagger analyses the revision, says to wait, exits 2 and writes nothing', async () => {
    // Deployed, but Flagger has not picked the revision up: no status yet.
    await deployChatbot(kube, { name: 'not-yet', revision: 'rev-e' });
    const before = api.writes().length;
    const { code, out, err } = await runBin(['approve', `${NS}/not-yet`], admin);
    expect({ code, out }).toEqual({ code: 2, out: '' });
    expect(err).toMatch(
      new RegExp(
        `^greenlight: ${NS}/not-yet: Flagger is not analysing revision rev-e of Canary ${NS}/not-yet`,
      ),
    );
    expect(err).toContain(
      `wait until Flagger has started analysing rev-e (greenlight watch ${NS}/not-yet)`,
    );
    expect(api.writes().slice(before)).toEqual([]);
  });

  it('refuses to approve a revision that was aborted, and writes nothing', async () => {
    await analysing('aborted', 'rev-f');
    expect((await runBin(['abort', `${NS}/aborted`], admin)).code).toBe(0);
    const before = api.writes().length;
    const { code, err } = await runBin(['approve', `${NS}/aborted`], admin);
    expect(code).toBe(2);
    expect(err).toContain('an abort wins over an approval');
    expect(err).toContain(`Remove the ${ABORT_REVISION} annotation`);
    expect(api.writes().slice(before)).toEqual([]);
  });
});
