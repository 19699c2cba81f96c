import { readFileSync } from 'node:fs';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import {
  abort,
  approve,
  canaryChecksum,
  ABORT_REVISION,
  REVISION_ANNOTATION,
  templateHash,
} from '../src/approval/index.ts';
import { UserError } from '../src/errors.ts';
import type { EventInput, KubeClient, ObjectRef } from '../src/kube/types.ts';

// `approve` and `abort` are thin I/O: these tests only record which calls they make
// against the KubeClient seam. Their effect on a real API server (merge patch, Events)
// is covered by the integration tier.

const fixture = <T>(name: string): T =>
  JSON.parse(
    readFileSync(new URL(`./fixtures/approval/${name}.json`, import.meta.url), 'utf8'),
  ) as T;

type Call =
  | { op: 'get'; ref: ObjectRef }
  | { op: 'mergePatch'; ref: ObjectRef; patch: object }
  | { op: 'recordEvent'; involved: string; event: EventInput }
  | { op: 'whoAmI' };

/**
 * Answers `get` from a fixed set of objects and `whoAmI` as the API server would for the
 * client's credential (`user`, or an error when it cannot say), and records every call.
 */
function recorder(
  objects: KubernetesObject[],
  user: string | Error = 'system:serviceaccount:greenlight:approver',
): KubeClient & { calls: Call[] } {
  const calls: Call[] = [];
  const find = (ref: ObjectRef) =>
    objects.find(
      (o) =>
        o.kind === ref.kind &&
        o.metadata?.namespace === ref.namespace &&
        o.metadata?.name === ref.name,
    );
  return {
    calls,
    async get<T extends KubernetesObject>(ref: ObjectRef) {
      calls.push({ op: 'get', ref });
      return find(ref) as T | undefined;
    },
    async mergePatch<T extends KubernetesObject>(ref: ObjectRef, patch: object) {
      calls.push({ op: 'mergePatch', ref, patch });
      return find(ref) as T;
    },
    async recordEvent(involved: KubernetesObject, event: EventInput) {
      calls.push({
        op: 'recordEvent',
        involved: `${involved.kind}/${involved.metadata?.name}`,
        event,
      });
    },
    async whoAmI() {
      calls.push({ op: 'whoAmI' });
      if (user instanceof Error) throw user;
      return { username: user, groups: ['system:authenticated'] };
    },
    list: () => Promise.reject(new Error('approve must not list')),
    apply: () => Promise.reject(new Error('approve must not apply')),
    create: () => Promise.reject(new Error('approve must not create')),
  };
}

const ref = { namespace: 'openfaas-fn', name: 'chatbot' };
const now = new Date('2026-11-25T10:05:00Z');
const canaryRef = { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', ...ref };
const APPROVER = 'system:serviceaccount:greenlight:approver';
// The fixture Canary is in WaitingPromotion; its analysis began at STARTED and Flagger's
// webhooks for it carry CHECKSUM.
const STARTED = '2026-11-25T10:00:00Z';
const CHECKSUM = canaryChecksum(fixture<Canary>('canary').status);
// Greenlight's hash of the fixture target's pod template: the template a person approves.
const TEMPLATE = templateHash(fixture('target'));

function canaryIn(phase: 'Succeeded' | 'Failed' | 'Initialized'): Canary {
  const canary = fixture<Canary>('canary');
  const status = phase === 'Failed' ? 'False' : 'True';
  canary.status = {
    ...canary.status,
    phase,
    conditions: [{ type: 'Promoted', status, reason: phase, lastTransitionTime: STARTED }],
  };
  return canary;
}

test('approves the revision under analysis by default, bound to that analysis, then records who approved which revision', async () => {
  const kube = recorder([fixture('canary'), fixture('target')]);
  const result = await approve(kube, ref, { note: 'github:ana https://ci/run/7', now });

  expect(result.revision).toBe('3f2c1e9');
  expect(kube.calls).toEqual([
    { op: 'get', ref: canaryRef },
    {
      op: 'get',
      ref: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'openfaas-fn', name: 'chatbot' },
    },
    { op: 'whoAmI' },
    {
      op: 'mergePatch',
      ref: canaryRef,
      patch: {
        metadata: {
          annotations: {
            'greenlight.dev/approved-revision': '3f2c1e9',
            'greenlight.dev/approved-checksum': CHECKSUM,
            'greenlight.dev/approved-analysis': STARTED,
            'greenlight.dev/approved-template': TEMPLATE,
            'greenlight.dev/approved-by': APPROVER,
            'greenlight.dev/approved-note': 'github:ana https://ci/run/7',
            'greenlight.dev/approved-at': '2026-11-25T10:05:00.000Z',
          },
        },
      },
    },
    {
      op: 'recordEvent',
      involved: 'Canary/chatbot',
      event: {
        type: 'Normal',
        reason: 'PromotionApproved',
        message: `github:ana https://ci/run/7 (as ${APPROVER}) approved promotion of revision 3f2c1e9 (analysis ${CHECKSUM} begun ${STARTED})`,
        component: 'greenlight',
        // Names the Event, so a retry after a lost answer cannot record it twice.
        key: `approve openfaas-fn/chatbot 3f2c1e9 ${APPROVER} 2026-11-25T10:05:00.000Z`,
      },
    },
  ]);
});

test('aborts the run under analysis, bound to that run, and records a RollbackRequested event', async () => {
  const kube = recorder([fixture('canary'), fixture('target')]);
  await abort(kube, ref, { note: 'bob', revision: '3f2c1e9', now });

  expect(kube.calls[3]).toMatchObject({
    op: 'mergePatch',
    patch: {
      metadata: {
        annotations: {
          'greenlight.dev/abort-revision': '3f2c1e9',
          'greenlight.dev/abort-checksum': CHECKSUM,
          'greenlight.dev/abort-analysis': STARTED,
          'greenlight.dev/abort-by': APPROVER,
          'greenlight.dev/abort-note': 'bob',
        },
      },
    },
  });
  expect(kube.calls[4]).toMatchObject({
    op: 'recordEvent',
    event: {
      type: 'Warning',
      reason: 'RollbackRequested',
      message: `bob (as ${APPROVER}) asked to roll back revision 3f2c1e9`,
    },
  });
});

test('refuses to approve a revision that is not under analysis, and names the one that is', async () => {
  const kube = recorder([fixture('canary'), fixture('target')]);
  const attempt = approve(kube, ref, { note: 'ana', revision: 'a1b2c3d' });
  await expect(attempt).rejects.toThrow(UserError);
  await expect(attempt).rejects.toThrow(
    'revision: revision a1b2c3d is not under analysis in Canary openfaas-fn/chatbot; revision 3f2c1e9 is',
  );
  expect(kube.calls.map((call) => call.op)).toEqual(['get', 'get']);
});

test('refuses to approve another run than the one the person saw (a Slack button of an earlier analysis), writing nothing', async () => {
  const kube = recorder([fixture('canary'), fixture('target')]);
  const earlier = { checksum: CHECKSUM, startedAt: '2026-11-25T09:00:00Z' };
  const attempt = approve(kube, ref, { note: 'ana', revision: '3f2c1e9', analysis: earlier });
  await expect(attempt).rejects.toThrow(
    `analysis: the analysis of revision 3f2c1e9 of Canary openfaas-fn/chatbot that was asked to approve (begun 2026-11-25T09:00:00Z) is no longer the one under way (begun ${STARTED})`,
  );
  expect(kube.calls.map((call) => call.op)).toEqual(['get', 'get']);
  // The run it saw is approved.
  const seen = { checksum: CHECKSUM, startedAt: STARTED };
  await expect(approve(kube, ref, { note: 'ana', analysis: seen })).resolves.toMatchObject({
    revision: '3f2c1e9',
  });
});

test('refuses to approve when the Canary does not exist, writing nothing', async () => {
  const kube = recorder([fixture('target')]);
  await expect(approve(kube, ref, { note: 'ana' })).rejects.toThrow(
    'there is no Canary openfaas-fn/chatbot',
  );
  expect(kube.calls.map((call) => call.op)).toEqual(['get']);
});

test('refuses to approve when the target Deployment carries no revision annotation, saying how to fix it', async () => {
  const target = fixture<{
    spec: { template: { metadata: { annotations: Record<string, string> } } };
  }>('target');
  delete target.spec.template.metadata.annotations[REVISION_ANNOTATION];
  const kube = recorder([fixture('canary'), target as KubernetesObject]);
  await expect(approve(kube, ref, { note: 'ana' })).rejects.toThrow(
    /has no greenlight\.dev\/revision annotation.*Deploy it with Greenlight/,
  );
});

test('refuses to approve a revision that was aborted, because the abort would win', async () => {
  const canary = fixture<Canary>('canary');
  canary.metadata.annotations = { [ABORT_REVISION]: '3f2c1e9', 'greenlight.dev/abort-by': 'bob' };
  const kube = recorder([canary, fixture('target')]);
  await expect(approve(kube, ref, { note: 'ana' })).rejects.toThrow(
    /was aborted by bob and an abort wins over an approval/,
  );
  expect(kube.calls.some((call) => call.op === 'mergePatch')).toBe(false);
});

test('approves a re-deploy of a revision whose earlier run was aborted: that abort acts on its own run only', async () => {
  const canary = fixture<Canary>('canary');
  canary.metadata.annotations = {
    [ABORT_REVISION]: '3f2c1e9',
    'greenlight.dev/abort-analysis': '2020-01-01T00:00:00Z',
    'greenlight.dev/abort-by': 'bob',
  };
  const kube = recorder([canary, fixture('target')]);
  const result = await approve(kube, ref, { note: 'ana' });
  expect(result.revision).toBe('3f2c1e9');
  expect(kube.calls.some((call) => call.op === 'mergePatch')).toBe(true);
});

// Replaces "refuses an approval that does not say who approves" (a blank `by`): the writer
// no longer names itself; the API server does, and without its answer nothing is written.
test('refuses to approve when the API server cannot say who is asking, writing nothing', async () => {
  const kube = recorder([fixture('canary'), fixture('target')], new Error('403 Forbidden'));
  await expect(approve(kube, ref, { note: 'ana' })).rejects.toThrow(
    /cannot learn from the Kubernetes API who is asking \(SelfSubjectReview\): .*403 Forbidden/,
  );
  expect(kube.calls.some((call) => call.op === 'mergePatch')).toBe(false);
});

test('records the identity the API server authenticated as approved-by; a name the caller gives is only the note', async () => {
  const kube = recorder([fixture('canary'), fixture('target')], 'alice@example.com');
  await approve(kube, ref, { note: '  root  ', now });
  const patch = kube.calls.find((call) => call.op === 'mergePatch') as { patch: object };
  expect(patch.patch).toMatchObject({
    metadata: {
      annotations: {
        'greenlight.dev/approved-by': 'alice@example.com',
        'greenlight.dev/approved-note': 'root',
      },
    },
  });
});

test("a blank note is no note: the earlier approval's note is removed, not kept", async () => {
  const kube = recorder([fixture('canary'), fixture('target')]);
  await approve(kube, ref, { note: '   ', now });
  const patch = kube.calls.find((call) => call.op === 'mergePatch') as {
    patch: { metadata: { annotations: Record<string, string | null> } };
  };
  expect(patch.patch.metadata.annotations['greenlight.dev/approved-note']).toBeNull();
});

test.each(['Succeeded', 'Failed', 'Initialized'] as const)(
  'refuses to approve while Flagger analyses nothing (%s), writing nothing and saying to wait for the analysis',
  async (phase) => {
    const kube = recorder([canaryIn(phase), fixture('target')]);
    const attempt = approve(kube, ref, { note: 'ana' });
    await expect(attempt).rejects.toThrow(UserError);
    await expect(attempt).rejects.toThrow(
      `revision: Flagger is not analysing revision 3f2c1e9 of Canary openfaas-fn/chatbot (phase ${phase}), so there is no analysis to approve`,
    );
    await expect(attempt).rejects.toThrow(/wait until Flagger has started analysing 3f2c1e9/);
    expect(kube.calls.some((call) => call.op === 'mergePatch')).toBe(false);
  },
);

// Replaces "an abort may be asked for outside an analysis": an abort now rolls back one run
// (abort-analysis), so with no run under way there is nothing it could name, and one that
// named none would act on the revision in every later run of it.
test.each(['Succeeded', 'Failed', 'Initialized'] as const)(
  'refuses to abort while Flagger analyses nothing (%s), writing nothing and saying to wait for the analysis',
  async (phase) => {
    const kube = recorder([canaryIn(phase), fixture('target')]);
    const attempt = abort(kube, ref, { note: 'bob' });
    await expect(attempt).rejects.toThrow(UserError);
    await expect(attempt).rejects.toThrow(
      `revision: Flagger is not analysing revision 3f2c1e9 of Canary openfaas-fn/chatbot (phase ${phase}), so there is no analysis to abort`,
    );
    expect(kube.calls.some((call) => call.op === 'mergePatch')).toBe(false);
  },
);

test('the template an approval records is the target as read when approving: another image under the same revision is another template', async () => {
  const swapped = fixture<{ spec: { template: { spec: { containers: { image: string }[] } } } }>(
    'target',
  );
  swapped.spec.template.spec.containers[0]!.image = 'ghcr.io/acme/chatbot:evil';
  const kube = recorder([fixture('canary'), swapped as unknown as KubernetesObject]);
  await approve(kube, ref, { note: 'ana', now });
  const patch = kube.calls.find((call) => call.op === 'mergePatch') as {
    patch: { metadata: { annotations: Record<string, string | null> } };
  };
  const written = patch.patch.metadata.annotations['greenlight.dev/approved-template'];
  expect(written).toBe(templateHash(swapped as never));
  expect(written).not.toBe(TEMPLATE);
});
