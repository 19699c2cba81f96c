// `greenlight rollback` as a process against the sandbox: the API stand-in and its Flagger
// stand-in (fifty times faster than a cluster). A deploy of v2 records the promoted v1 as
// the action's deploy does (core recordPromoted), Flagger promotes v2, and the CLI brings v1
// back — analysed by default, at once with --skip-analysis.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Deployment } from '@kubernetes/client-node';
import {
  recordPromoted,
  REVISION_ANNOTATION,
  revisionOf,
  ROLLBACK_BY,
  ROLLBACK_NOTE,
  ROLLBACK_REVISION,
} from '@greenlight/core';
import {
  startActionSandbox,
  type ActionSandbox,
} from '@greenlight/test-kit/cluster/action-sandbox';
import { eventually } from '@greenlight/test-kit/cluster';
import { runBin } from '@greenlight/test-kit/processes/run-bin';

const NS = 'openfaas-fn';
let env: ActionSandbox;
let shell: NodeJS.ProcessEnv;
beforeAll(async () => {
  env = await startActionSandbox(NS);
  const file = join(mkdtempSync(join(tmpdir(), 'greenlight-cli-rollback-')), 'kubeconfig');
  writeFileSync(file, env.kubeconfig, { mode: 0o600 });
  shell = { KUBECONFIG: file };
}, 30_000);
afterAll(() => env.sandbox.close());

const deployment = (name: string) =>
  env.sandbox.kube.get<V1Deployment>({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: NS,
    name,
  });
const primaryRuns = async (revision: string) =>
  revisionOf(await deployment('chatbot-primary')) === revision;
const settled = async () => (await env.canary())?.status?.phase === 'Succeeded';

/** What the action's deploy does to the target, after recording what the primary runs. */
async function deploy(revision: string): Promise<void> {
  await recordPromoted(env.sandbox.kube, (await env.canary())!);
  const target = (await deployment('chatbot'))!;
  const containers = target.spec!.template.spec!.containers.map((c) => ({
    ...c,
    image: `registry.local/chatbot:${revision}`,
  }));
  await env.sandbox.kube.mergePatch(
    { apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name: 'chatbot' },
    {
      spec: {
        template: {
          metadata: { annotations: { [REVISION_ANNOTATION]: revision } },
          spec: { containers },
        },
      },
    },
  );
  await eventually(async () => (await primaryRuns(revision)) && (await settled()), 20_000);
}

test('rolls back to the revision promoted before, which Flagger analyses and promotes again', async () => {
  await deploy('v2');
  const run = await runBin(['rollback', `${NS}/chatbot`, '--by', 'grace'], shell);
  expect(run).toEqual({
    code: 0,
    out:
      `${NS}/chatbot: rolling back from revision v2 to v1 (registry.local/acme/chatbot:v1) by system:anonymous (grace)\n` +
      `${NS}/chatbot: Flagger analyses revision v1 now; where approval is required, approve it (greenlight approve ${NS}/chatbot --revision v1); follow it with greenlight watch ${NS}/chatbot\n`,
    err: '',
  });
  expect((await deployment('chatbot'))?.spec?.template.spec?.containers[0]?.image).toBe(
    'registry.local/acme/chatbot:v1',
  );
  const annotations = (await env.canary())?.metadata.annotations ?? {};
  expect(annotations).toMatchObject({
    [ROLLBACK_REVISION]: 'v1',
    [ROLLBACK_BY]: 'system:anonymous',
    [ROLLBACK_NOTE]: 'grace',
  });
  await eventually(async () => (await primaryRuns('v1')) && (await settled()), 20_000);
}, 60_000);

test('--skip-analysis promotes at once and turns the analysis back on; status names the way back', async () => {
  await eventually(settled, 20_000);
  const status = await runBin(['status', `${NS}/chatbot`], shell);
  expect(status.out).toMatch(
    /Roll back to +v2 \(greenlight rollback openfaas-fn\/chatbot\), bringing back registry.local\/chatbot:v2\n/,
  );
  const run = await runBin(['rollback', `${NS}/chatbot`, '--to', 'v2', '--skip-analysis'], shell);
  expect(run.err).toBe('');
  expect(run.code).toBe(0);
  expect(run.out).toContain(
    `${NS}/chatbot: promoted without an analysis; the primary runs revision v2\n`,
  );
  expect(await primaryRuns('v2')).toBe(true);
  expect((await env.canary())?.spec.skipAnalysis).toBe(false);
}, 60_000);

test('refuses, exit 2 and nothing changed: --to a revision never promoted', async () => {
  await eventually(settled, 20_000);
  const before = (await env.canary())?.metadata.resourceVersion;
  const run = await runBin(['rollback', `${NS}/chatbot`, '--to', 'v9'], shell);
  expect(run.code).toBe(2);
  expect(run.err).toBe(
    `greenlight: --to: revision v9 was never recorded as promoted on Canary ${NS}/chatbot. Roll back to one that was: v1\n`,
  );
  expect((await env.canary())?.metadata.resourceVersion).toBe(before);
}, 30_000);
