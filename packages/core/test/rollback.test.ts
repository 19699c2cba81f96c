// Rollback after promotion against the Kubernetes API stand-in through the real client: the
// record a deploy writes, the rollback's writes (target, audit, Event), and each refusal,
// which must leave the cluster as it was.
import type { KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import {
  startTestCluster,
  chatbotDeployment,
  deployChatbot,
  type TestCluster,
} from '@greenlight/test-kit/cluster';
import { writeCanaryStatus } from '@greenlight/test-kit/flagger';
import {
  PROMOTED_HISTORY,
  ROLLBACK_BY,
  ROLLBACK_FROM,
  ROLLBACK_NOTE,
  ROLLBACK_REVISION,
  planRollback,
  readPromotedHistory,
  recordPromoted,
  rollback,
} from '../src/rollback/index.ts';
import { interpret } from '../src/rollout/interpret.ts';
import { revisionOf } from '../src/revision.ts';
import { UserError } from '../src/errors.ts';
import { KubeApiError } from '../src/kube/errors.ts';
import type { ObjectRef } from '../src/kube/types.ts';

const NS = 'openfaas-fn';
let cluster: TestCluster;
beforeAll(async () => (cluster = await startTestCluster()));
afterAll(() => cluster.close());

const canaryRef = (name: string) => ({
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
  namespace: NS,
  name,
});
const deploymentRef = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  namespace: NS,
  name,
});
const canary = async (name: string) => (await cluster.kube.get<Canary>(canaryRef(name)))!;
const deployment = (name: string) => cluster.kube.get<V1Deployment>(deploymentRef(name));

/**
 * Flagger's promotion: the primary runs the target's pod template, container names kept;
 * and Kubernetes' Deployment controller makes it a ReplicaSet of that template.
 */
async function promote(name: string, revision: string) {
  const primary = chatbotDeployment(name, NS, revision);
  primary.metadata!.name = `${name}-primary`;
  await cluster.kube.apply(primary as KubernetesObject);
  await replicaSetOfPrimary(name, revision);
}

/** A ReplicaSet of the primary's pod template now (the stand-in runs no controller). */
async function replicaSetOfPrimary(name: string, revision: string) {
  const primary = (await deployment(`${name}-primary`))!;
  return cluster.kube.create({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${name}-primary-${revision}`,
      namespace: NS,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: `${name}-primary`,
          uid: primary.metadata!.uid!,
          controller: true,
        },
      ],
    },
    spec: { selector: primary.spec!.selector, template: primary.spec!.template },
  } as KubernetesObject);
}

/** A chatbot that ran v1, then a deploy of v2 (recording v1 first) that Flagger promoted. */
async function promotedTwice(name: string): Promise<void> {
  await deployChatbot(cluster.kube, { name, revision: 'v1' });
  await promote(name, 'v1');
  await writeCanaryStatus(cluster.api.url, { namespace: NS, name }, 'Succeeded');
  await recordPromoted(cluster.kube, await canary(name), new Date('2026-12-01T10:00:00Z'));
  await cluster.kube.apply(chatbotDeployment(name, NS, 'v2') as KubernetesObject);
  await promote(name, 'v2');
}

test('a deploy records what the primary runs; the same record twice is written once', async () => {
  await promotedTwice('records');
  await recordPromoted(cluster.kube, await canary('records'));
  const history = readPromotedHistory(await canary('records'));
  expect(history.map((e) => e.revision)).toEqual(['v1', 'v2']);
  expect(history[0]).toMatchObject({
    images: { records: 'registry.local/records:v1' },
    at: '2026-12-01T10:00:00.000Z',
  });
  expect(history[0]!.template).toMatch(/^sha256:[0-9a-f]{64}$/);
  const before = (await canary('records')).metadata.resourceVersion;
  await recordPromoted(cluster.kube, await canary('records'));
  expect((await canary('records')).metadata.resourceVersion).toBe(before);
});

test('rollback points the target at the recorded revision, audits who did it, and keeps the way forward', async () => {
  await promotedTwice('back');
  const view = () => Promise.all([canary('back'), deployment('back'), deployment('back-primary')]);
  const [c, target, primary] = await view();
  expect(interpret({ canary: c, target, primary }).rollbackTo).toEqual({
    revision: 'v1',
    at: '2026-12-01T10:00:00.000Z',
    images: { back: 'registry.local/back:v1' },
  });

  const result = await rollback(
    cluster.kube,
    { namespace: NS, name: 'back' },
    { note: 'cli:grace' },
  );
  expect(result).toMatchObject({ revision: 'v1', from: 'v2', recorded: true });
  const after = await deployment('back');
  expect(revisionOf(after)).toBe('v1');
  expect(after?.spec?.template.spec?.containers[0]?.image).toBe('registry.local/back:v1');
  const annotations = (await canary('back')).metadata.annotations ?? {};
  expect(annotations).toMatchObject({
    [ROLLBACK_REVISION]: 'v1',
    [ROLLBACK_FROM]: 'v2',
    [ROLLBACK_BY]: 'system:anonymous',
    [ROLLBACK_NOTE]: 'cli:grace',
  });
  expect(readPromotedHistory(await canary('back')).map((e) => e.revision)).toEqual(['v1', 'v2']);
  expect((await canary('back')).spec.skipAnalysis).toBeUndefined();
  const events = await cluster.kube.list<KubernetesObject & { reason?: string; message?: string }>(
    { apiVersion: 'v1', kind: 'Event' },
    NS,
  );
  expect(events.find((e) => e.reason === 'RollbackToRevision')?.message).toBe(
    'cli:grace (as system:anonymous) rolled back from revision v2 to v1 (recorded promoted 2026-12-01T10:00:00.000Z); Flagger analyses it again',
  );
});

test('skip-analysis turns spec.skipAnalysis on for the run and off again, promoted or not', async () => {
  await promotedTwice('skip');
  const result = await rollback(
    cluster.kube,
    { namespace: NS, name: 'skip' },
    { skipAnalysis: true, promotionTimeoutMs: 300 },
  );
  // No Flagger here: the primary never changes, the wait ends, the analysis comes back on.
  expect(result.promoted).toBe(false);
  const after = await canary('skip');
  expect(after.spec.skipAnalysis).toBe(false);
  expect(after.metadata.annotations?.['greenlight.dev/rollback-skipped-analysis']).toBe('true');
});

describe('refusals change nothing', () => {
  async function refused(name: string, to: string | undefined, pattern: RegExp, field: string) {
    const before = JSON.stringify([await canary(name), await deployment(name)]);
    const error = await rollback(
      cluster.kube,
      { namespace: NS, name },
      { ...(to ? { to } : {}) },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(pattern);
    expect((error as UserError).field).toBe(field);
    expect(JSON.stringify([await canary(name), await deployment(name)])).toBe(before);
  }

  test('no earlier revision recorded', async () => {
    await deployChatbot(cluster.kube, { name: 'fresh', revision: 'v1' });
    await promote('fresh', 'v1');
    await writeCanaryStatus(cluster.api.url, { namespace: NS, name: 'fresh' }, 'Succeeded');
    await refused(
      'fresh',
      undefined,
      /no revision promoted before v1 is recorded on Canary openfaas-fn\/fresh/,
      'to',
    );
  });

  test('--to a revision never promoted, or the one running', async () => {
    await promotedTwice('unknown');
    await refused(
      'unknown',
      'v0',
      /revision v0 was never recorded as promoted.*Roll back to one that was: v1/,
      'to',
    );
    await refused('unknown', 'v2', /runs revision v2 already/, 'to');
  });

  test('a rollout in progress, and a deploy Flagger has not picked up', async () => {
    await promotedTwice('busy');
    await writeCanaryStatus(cluster.api.url, { namespace: NS, name: 'busy' }, 'Progressing');
    await refused(
      'busy',
      undefined,
      /Flagger is rolling out revision v2 .*phase Progressing.*greenlight abort openfaas-fn\/busy/,
      'phase',
    );
    await writeCanaryStatus(cluster.api.url, { namespace: NS, name: 'busy' }, 'Succeeded');
    await cluster.kube.apply(chatbotDeployment('busy', NS, 'v3') as KubernetesObject);
    await refused(
      'busy',
      undefined,
      /revision v3 was deployed .* has not started on it yet/,
      'phase',
    );
  });

  test('planRollback names the same refusal without writing', async () => {
    await expect(planRollback(cluster.kube, { namespace: NS, name: 'missing' })).rejects.toThrow(
      /there is no Canary openfaas-fn\/missing/,
    );
  });
});

test('a history that is not JSON reads as none', () => {
  expect(
    readPromotedHistory({ metadata: { annotations: { [PROMOTED_HISTORY]: '{oops' } } } as never),
  ).toEqual([]);
});

test('an API refusal to skip the analysis (the gate chart admits it only from approvers) rolls nothing back', async () => {
  await promotedTwice('denied');
  // What the API server answers a non-approver (keep-gate's ValidatingAdmissionPolicy).
  const refusing = {
    ...cluster.kube,
    mergePatch: <T extends KubernetesObject>(ref: ObjectRef, patch: object): Promise<T> =>
      (patch as { spec?: { skipAnalysis?: boolean } }).spec?.skipAnalysis === true
        ? Promise.reject(
            new KubeApiError(
              'could not patch Canary openfaas-fn/denied: denied by keep-gate (403 Forbidden)',
              {
                code: 403,
                reason: 'Forbidden',
              },
            ),
          )
        : cluster.kube.mergePatch<T>(ref, patch),
  };
  const error = await rollback(
    refusing,
    { namespace: NS, name: 'denied' },
    { skipAnalysis: true },
  ).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UserError);
  expect((error as UserError).field).toBe('skipAnalysis');
  expect((error as UserError).message).toMatch(
    /refused to turn spec.skipAnalysis on .* nothing was rolled back: .*denied by keep-gate/,
  );
  expect(revisionOf(await deployment('denied'))).toBe('v2');
  expect((await canary('denied')).metadata.annotations?.[ROLLBACK_REVISION]).toBeUndefined();
});

test('a history entry the primary never ran (forged by whoever may deploy) is not promoted without an analysis', async () => {
  await promotedTwice('forged');
  // The deploy credential may patch the Canary: it records its own image under v1's name.
  const forged = [
    {
      revision: 'v1',
      images: { forged: 'evil.example/forged:latest' },
      at: '2026-12-01T10:00:00Z',
    },
  ];
  await cluster.kube.mergePatch(canaryRef('forged'), {
    metadata: { annotations: { [PROMOTED_HISTORY]: JSON.stringify(forged) } },
  });
  const before = JSON.stringify([await canary('forged'), await deployment('forged')]);
  const error = await rollback(
    cluster.kube,
    { namespace: NS, name: 'forged' },
    { skipAnalysis: true, promotionTimeoutMs: 300 },
  ).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UserError);
  expect((error as UserError).field).toBe('skipAnalysis');
  expect((error as UserError).message).toMatch(
    /revision v1 .*forged=evil.example\/forged:latest.* is not among what forged-primary ran/,
  );
  expect(JSON.stringify([await canary('forged'), await deployment('forged')])).toBe(before);
  // planRollback, which the action checks every Canary with first, refuses it the same.
  await expect(
    planRollback(cluster.kube, { namespace: NS, name: 'forged' }, undefined, {
      skipAnalysis: true,
    }),
  ).rejects.toThrow(/is not among what forged-primary ran/);
});

test('a target carrying what the primary never ran (a sidecar the deploy added) is not promoted without an analysis', async () => {
  await promotedTwice('sidecar');
  // After a failed rollout the target keeps whatever the deploy wrote; a rollback brings back
  // only the images, so the sidecar would come along.
  const target = (await deployment('sidecar'))!;
  const containers = [
    ...target.spec!.template.spec!.containers,
    { name: 'helper', image: 'evil.example/helper:latest' },
  ];
  await cluster.kube.mergePatch(deploymentRef('sidecar'), {
    spec: { template: { spec: { containers } } },
  });
  await promote('sidecar', 'v2');
  const before = JSON.stringify([await canary('sidecar'), await deployment('sidecar')]);
  const error = await rollback(
    cluster.kube,
    { namespace: NS, name: 'sidecar' },
    { skipAnalysis: true, promotionTimeoutMs: 300 },
  ).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UserError);
  expect((error as UserError).field).toBe('skipAnalysis');
  expect((error as UserError).message).toMatch(
    /target Deployment of Canary openfaas-fn\/sidecar differs from what sidecar-primary ran as revision v1 beyond the images \(pod spec containers\)/,
  );
  expect(JSON.stringify([await canary('sidecar'), await deployment('sidecar')])).toBe(before);
});

test('a rollback without the skip is analysed even where skipAnalysis was left on', async () => {
  await promotedTwice('left-on');
  // A skip cut short (its process killed before it turned the analysis back on).
  await cluster.kube.mergePatch(canaryRef('left-on'), { spec: { skipAnalysis: true } });
  const result = await rollback(cluster.kube, { namespace: NS, name: 'left-on' });
  expect(result.promoted).toBeUndefined();
  expect((await canary('left-on')).spec.skipAnalysis).toBe(false);
  expect(revisionOf(await deployment('left-on'))).toBe('v1');
});
