import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApiServer, type ApiServer } from '@greenlight/sandbox';
import { type CoreV1Event, type KubernetesObject } from '@kubernetes/client-node';
import { createKubeClient, KubeApiError, type KubeClient } from '../src/kube/index.ts';
import { kubeConfigFor } from './kube-test-helpers.ts';

let server: ApiServer;
let kube: KubeClient;

beforeAll(async () => {
  server = await startApiServer({ token: 'sandbox-token-do-not-print' });
  kube = createKubeClient(kubeConfigFor(server));
});

afterAll(async () => {
  await server.close();
});

interface Canary extends KubernetesObject {
  spec: { targetRef: { name: string }; service: { port: number }; skipAnalysis?: boolean };
  status?: { phase?: string };
}

function canary(name: string, spec: Partial<Canary['spec']> = {}): Canary {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name, namespace: 'bots' },
    spec: { targetRef: { name }, service: { port: 8080 }, ...spec },
  };
}

const ref = (name: string) => ({
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
  namespace: 'bots',
  name,
});

describe('the Kubernetes client on client-node', () => {
  it('creates an object by server-side apply, then updates it, as field manager greenlight', async () => {
    const before = server.writes().length;
    const created = await kube.apply(canary('slack'));
    expect(created.metadata?.uid).toBeDefined();
    const updated = await kube.apply(canary('slack', { skipAnalysis: true }));
    expect(updated.metadata?.uid).toBe(created.metadata?.uid);
    expect(updated.spec.skipAnalysis).toBe(true);
    expect(updated.metadata?.generation).toBe(2);

    const writes = server.writes().slice(before);
    expect(
      writes.map((w) => [w.method, w.contentType, w.query.fieldManager, w.query.force, w.status]),
    ).toEqual([
      ['PATCH', 'application/apply-patch+yaml', 'greenlight', 'true', 201],
      ['PATCH', 'application/apply-patch+yaml', 'greenlight', 'true', 200],
    ]);
    expect(updated.metadata?.managedFields?.map((m) => [m.manager, m.operation])).toEqual([
      ['greenlight', 'Apply'],
    ]);
  });

  it('creates with a POST and never overwrites: an object already there is left as it is', async () => {
    const before = server.writes().length;
    const created = await kube.create(canary('telegram'));
    expect(created?.metadata?.uid).toBeDefined();
    expect(await kube.create(canary('telegram', { skipAnalysis: true }))).toBeUndefined();
    expect((await kube.get<Canary>(ref('telegram')))?.spec.skipAnalysis).toBeUndefined();
    expect(
      server
        .writes()
        .slice(before)
        .map((w) => [w.method, w.query.fieldManager, w.status]),
    ).toEqual([
      ['POST', 'greenlight', 201],
      ['POST', 'greenlight', 409],
    ]);
  });

  it('keeps built-in objects as the JSON the API sent (timestamps stay strings)', async () => {
    const deployment = await kube.apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'slack', namespace: 'bots' },
      spec: {
        selector: { matchLabels: { app: 'slack' } },
        template: { metadata: { labels: { app: 'slack' } } },
      },
    } as KubernetesObject);
    expect(typeof deployment.metadata?.creationTimestamp).toBe('string');
    const read = await kube.get({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'bots',
      name: 'slack',
    });
    expect(read).toEqual(deployment);
  });

  it('reads a missing object as undefined', async () => {
    await expect(kube.get(ref('nobody'))).resolves.toBeUndefined();
  });

  it('merge-patches annotations without touching the rest', async () => {
    await kube.apply(canary('telegram'));
    const patched = await kube.mergePatch<Canary>(ref('telegram'), {
      metadata: { annotations: { 'greenlight.dev/approved-revision': 'abc123' } },
    });
    expect(patched.metadata?.annotations).toEqual({ 'greenlight.dev/approved-revision': 'abc123' });
    expect(patched.spec.service.port).toBe(8080);
    expect(server.writes().at(-1)?.contentType).toBe('application/merge-patch+json');
    const removed = await kube.mergePatch<Canary>(ref('telegram'), {
      metadata: { annotations: { 'greenlight.dev/approved-revision': null } },
    });
    expect(removed.metadata?.annotations).toEqual({});
  });

  it('lists objects of a kind with their apiVersion and kind filled in', async () => {
    await kube.apply(canary('web'));
    const names = (
      await kube.list<Canary>({ apiVersion: 'flagger.app/v1beta1', kind: 'Canary' }, 'bots')
    ).map((c) => c.metadata?.name);
    expect(names).toEqual(expect.arrayContaining(['slack', 'telegram', 'web']));
    const deployments = await kube.list({ apiVersion: 'apps/v1', kind: 'Deployment' });
    expect(deployments[0]).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment' });
  });

  it('records a core/v1 Event about an object', async () => {
    const involved = await kube.apply(canary('events'));
    const before = server.requestLog.length;
    await kube.recordEvent(involved, {
      type: 'Normal',
      reason: 'PromotionApproved',
      message: 'alice approved revision abc123',
    });
    // One request: core/v1 needs no discovery lookup first.
    expect(
      server.requestLog.slice(before).map((e) => `${e.method} ${e.path} ${e.query.fieldManager}`),
    ).toEqual(['POST /api/v1/namespaces/bots/events greenlight']);
    const events = await kube.list<CoreV1Event>({ apiVersion: 'v1', kind: 'Event' }, 'bots');
    const event = events.find((e) => e.involvedObject.name === 'events');
    expect(event).toMatchObject({
      metadata: { name: expect.stringMatching(/^events\.[0-9a-f]{16}$/), namespace: 'bots' },
      involvedObject: {
        apiVersion: 'flagger.app/v1beta1',
        kind: 'Canary',
        name: 'events',
        namespace: 'bots',
        uid: involved.metadata?.uid,
      },
      reason: 'PromotionApproved',
      message: 'alice approved revision abc123',
      type: 'Normal',
      source: { component: 'greenlight' },
      count: 1,
    });
    expect(event?.firstTimestamp).toEqual(event?.lastTimestamp);
  });

  it('names the verb, the object and the API message when a write fails, and never the token', async () => {
    const error = await kube.mergePatch(ref('missing'), { spec: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as KubeApiError).message).toBe(
      'could not patch Canary bots/missing: canaries.flagger.app "missing" not found (404 NotFound)',
    );
    expect((error as KubeApiError).code).toBe(404);
    expect(String((error as Error).stack)).not.toContain('sandbox-token-do-not-print');
  });

  it('says the cluster lacks a kind when discovery does not list it', async () => {
    const error = await kube
      .get({ apiVersion: 'example.com/v1', kind: 'Widget', namespace: 'bots', name: 'w' })
      .catch((e: unknown) => e as Error);
    expect((error as Error).message).toBe(
      'could not read Widget bots/w: the cluster does not serve example.com/v1 Widget; is its CustomResourceDefinition installed?',
    );
  });

  it('reports an unreachable API with the object it was about', async () => {
    const gone = await startApiServer();
    const kc = kubeConfigFor(gone);
    await gone.close();
    const error = await createKubeClient(kc)
      .apply(canary('offline'))
      .catch((e: unknown) => e as Error);
    expect((error as Error).message).toMatch(
      /^could not apply Canary bots\/offline: cannot reach the Kubernetes API \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/,
    );
  });
});

describe('whoAmI', () => {
  it('names the user the API server authenticated for the credential, with its groups', async () => {
    expect(await kube.whoAmI()).toEqual({
      username: 'sandbox-admin',
      groups: ['system:masters', 'system:authenticated'],
    });
  });

  it("names another credential's user, not one the caller asserts", async () => {
    const api = await startApiServer({
      token: 'admin-token',
      users: { 'ci-token': { username: 'system:serviceaccount:ci:deploy', groups: ['ci'] } },
    });
    try {
      const kc = kubeConfigFor(api);
      kc.users = kc.users.map((user) => ({ ...user, token: 'ci-token', username: 'root' }));
      expect(await createKubeClient(kc).whoAmI()).toEqual({
        username: 'system:serviceaccount:ci:deploy',
        groups: ['ci', 'system:authenticated'],
      });
    } finally {
      await api.close();
    }
  });

  it('says which request failed when the API server refuses the credential', async () => {
    const api = await startApiServer({ token: 'admin-token' });
    try {
      const kc = kubeConfigFor(api);
      kc.users = kc.users.map((user) => ({ ...user, token: 'wrong' }));
      await expect(createKubeClient(kc).whoAmI()).rejects.toThrow(/SelfSubjectReview/);
    } finally {
      await api.close();
    }
  });
});
