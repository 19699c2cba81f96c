import { readFileSync } from 'node:fs';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import { abort, approve, ABORT_REVISION, REVISION_ANNOTATION } from '../src/approval/index.ts';
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
  | { op: 'recordEvent'; involved: string; event: EventInput };

/** Answers `get` from a fixed set of objects and records every call. */
function recorder(objects: KubernetesObject[]): KubeClient & { calls: Call[] } {
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
    list: () => Promise.reject(new Error('approve must not list')),
    apply: () => Promise.reject(new Error('approve must not apply')),
  };
}

const ref = { namespace: 'openfaas-fn', name: 'chatbot' };
const now = new Date('2026-11-25T10:05:00Z');
const canaryRef = { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', ...ref };

test('approves the revision under analysis by default, then records who approved which revision', async () => {
  const kube = recorder([fixture('canary'), fixture('target')]);
  const result = await approve(kube, ref, { by: 'ana', now });

  expect(result.revision).toBe('3f2c1e9');
  expect(kube.calls).toEqual([
    { op: 'get', ref: canaryRef },
    {
      op: 'get',
      ref: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'openfaas-fn', name: 'chatbot' },
    },
    {
      op: 'mergePatch',
      ref: canaryRef,
      patch: {
        metadata: {
          annotations: {
            'greenlight.dev/approved-revision': '3f2c1e9',
            'greenlight.dev/approved-by': 'ana',
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
        message: 'ana approved promotion of revision 3f2c1e9',
        component: 'greenlight',
        // Names the Event, so a retry after a lost answer cannot record it twice.
        key: 'approve openfaas-fn/chatbot 3f2c1e9 ana 2026-11-25T10:05:00.000Z',
      },
    },
  ]);
});

test('aborts the revision under analysis and records a RollbackRequested event', async () => {
  const kube = recorder([fixture('canary'), fixture('target')]);
  await abort(kube, ref, { by: 'bob', revision: '3f2c1e9', now });

  expect(kube.calls[2]).toMatchObject({
    op: 'mergePatch',
    patch: {
      metadata: {
        annotations: {
          'greenlight.dev/abort-revision': '3f2c1e9',
          'greenlight.dev/abort-by': 'bob',
        },
      },
    },
  });
  expect(kube.calls[3]).toMatchObject({
    op: 'recordEvent',
    event: {
      type: 'Warning',
      reason: 'RollbackRequested',
      message: 'bob asked to roll back revision 3f2c1e9',
    },
  });
});

test('refuses to approve a revision that is not under analysis, and names the one that is', async () => {
  const kube = recorder([fixture('canary'), fixture('target')]);
  const attempt = approve(kube, ref, { by: 'ana', revision: 'a1b2c3d' });
  await expect(attempt).rejects.toThrow(UserError);
  await expect(attempt).rejects.toThrow(
    'revision: revision a1b2c3d is not under analysis in Canary openfaas-fn/chatbot; revision 3f2c1e9 is',
  );
  expect(kube.calls.map((call) => call.op)).toEqual(['get', 'get']);
});

test('refuses to approve when the Canary does not exist, writing nothing', async () => {
  const kube = recorder([fixture('target')]);
  await expect(approve(kube, ref, { by: 'ana' })).rejects.toThrow(
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
  await expect(approve(kube, ref, { by: 'ana' })).rejects.toThrow(
    /has no greenlight\.dev\/revision annotation.*Deploy it with Greenlight/,
  );
});

test('refuses to approve a revision that was aborted, because the abort would win', async () => {
  const canary = fixture<Canary>('canary');
  canary.metadata.annotations = { [ABORT_REVISION]: '3f2c1e9', 'greenlight.dev/abort-by': 'bob' };
  const kube = recorder([canary, fixture('target')]);
  await expect(approve(kube, ref, { by: 'ana' })).rejects.toThrow(
    /was aborted by bob and an abort wins over an approval/,
  );
  expect(kube.calls.some((call) => call.op === 'mergePatch')).toBe(false);
});

test('refuses an approval that does not say who approves', async () => {
  const kube = recorder([fixture('canary'), fixture('target')]);
  await expect(approve(kube, ref, { by: '  ' })).rejects.toThrow(/^by: cannot approve/);
  expect(kube.calls).toEqual([]);
});
