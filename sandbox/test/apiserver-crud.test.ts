import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApiServer, type ApiServer } from '../src/index.ts';

// Responses are JSON whose shape each test asserts on.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = any;

let server: ApiServer;

beforeAll(async () => {
  server = await startApiServer();
});

afterAll(async () => {
  await server.close();
});

const CANARIES = '/apis/flagger.app/v1beta1/namespaces/apps/canaries';
const DEPLOYMENTS = '/apis/apps/v1/namespaces/apps/deployments';

async function call(
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<{ status: number; body: Body }> {
  const res = await fetch(server.url + path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': contentType },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

function canary(name: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name, namespace: 'apps' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      service: { port: 8080 },
    },
    ...extra,
  };
}

describe('the sandbox API answers like the Kubernetes API', () => {
  it('answers a missing object with a NotFound Status', async () => {
    const res = await call('GET', `${CANARIES}/nothing-here`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'canaries.flagger.app "nothing-here" not found',
      reason: 'NotFound',
      details: { name: 'nothing-here', group: 'flagger.app', kind: 'canaries' },
      code: 404,
    });
  });

  it('answers a second create of the same name with an AlreadyExists Status', async () => {
    expect((await call('POST', CANARIES, canary('twice'))).status).toBe(201);
    const res = await call('POST', CANARIES, canary('twice'));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'AlreadyExists', code: 409 });
    expect(res.body.message).toBe('canaries.flagger.app "twice" already exists');
  });

  it('refuses a replace carrying a stale resourceVersion with a Conflict Status', async () => {
    const created = (await call('POST', CANARIES, canary('stale'))).body;
    const fresh = await call('PUT', `${CANARIES}/stale`, {
      ...created,
      spec: { ...created.spec, skipAnalysis: true },
    });
    expect(fresh.status).toBe(200);
    const res = await call('PUT', `${CANARIES}/stale`, created);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'Conflict', code: 409 });
    expect(res.body.message).toContain('the object has been modified');
  });

  it('sets uid, creationTimestamp, generation and a resourceVersion on create', async () => {
    const { body } = await call('POST', CANARIES, canary('fresh'));
    expect(body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(body.metadata.generation).toBe(1);
    expect(Number(body.metadata.resourceVersion)).toBeGreaterThan(0);
  });

  it('bumps generation on a spec change and not on a metadata change', async () => {
    await call('POST', CANARIES, canary('gen'));
    const labelled = await call(
      'PATCH',
      `${CANARIES}/gen`,
      { metadata: { labels: { a: 'b' } } },
      'application/merge-patch+json',
    );
    expect(labelled.body.metadata.generation).toBe(1);
    const changed = await call(
      'PATCH',
      `${CANARIES}/gen`,
      { spec: { skipAnalysis: true } },
      'application/merge-patch+json',
    );
    expect(changed.body.metadata.generation).toBe(2);
    expect(Number(changed.body.metadata.resourceVersion)).toBeGreaterThan(
      Number(labelled.body.metadata.resourceVersion),
    );
  });

  it('leaves resourceVersion alone when a write changes nothing', async () => {
    const created = (await call('POST', CANARIES, canary('same'))).body;
    const again = await call(
      'PATCH',
      `${CANARIES}/same`,
      { spec: { service: { port: 8080 } } },
      'application/merge-patch+json',
    );
    expect(again.body.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
  });

  it('changes only .status through /status, and ignores .status on the main resource', async () => {
    const created = (await call('POST', CANARIES, canary('st', { status: { phase: 'Succeeded' } })))
      .body;
    expect(created.status).toBeUndefined();

    const viaStatus = await call(
      'PATCH',
      `${CANARIES}/st/status`,
      { spec: { skipAnalysis: true }, status: { phase: 'Progressing' } },
      'application/merge-patch+json',
    );
    expect(viaStatus.status).toBe(200);
    expect(viaStatus.body.status).toEqual({ phase: 'Progressing' });
    expect(viaStatus.body.spec.skipAnalysis).toBeUndefined();
    expect(viaStatus.body.metadata.generation).toBe(1);

    const viaMain = await call(
      'PATCH',
      `${CANARIES}/st`,
      { spec: { skipAnalysis: true }, status: { phase: 'Failed' } },
      'application/merge-patch+json',
    );
    expect(viaMain.body.status).toEqual({ phase: 'Progressing' });
    expect(viaMain.body.spec.skipAnalysis).toBe(true);
    expect(viaMain.body.metadata.generation).toBe(2);
  });

  it('serves /status for Deployments and not for TrafficSplits, which have no such subresource', async () => {
    await call('POST', DEPLOYMENTS, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 2 },
    });
    const res = await call('PUT', `${DEPLOYMENTS}/web/status`, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 9 },
      status: { observedGeneration: 1, readyReplicas: 2 },
    });
    expect(res.body.spec.replicas).toBe(2);
    expect(res.body.status).toEqual({ observedGeneration: 1, readyReplicas: 2 });
    const split = await call(
      'GET',
      '/apis/split.smi-spec.io/v1alpha1/namespaces/apps/trafficsplits/web/status',
    );
    expect(split.status).toBe(404);
  });

  it('filters lists by label selector and reports the list resourceVersion', async () => {
    const path = '/api/v1/namespaces/labels/configmaps';
    for (const [name, tier] of [
      ['a', 'front'],
      ['b', 'back'],
      ['c', 'front'],
    ] as const) {
      await call('POST', path, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, labels: { tier } },
      });
    }
    const eq = await call('GET', `${path}?labelSelector=${encodeURIComponent('tier=front')}`);
    expect(eq.body.items.map((i: Body) => i.metadata.name)).toEqual(['a', 'c']);
    expect(eq.body.metadata.resourceVersion).toBe(server.store.resourceVersion);
    expect(eq.body.kind).toBe('ConfigMapList');
    // Items of built-in lists carry no apiVersion/kind, as on a real apiserver.
    expect(eq.body.items[0].kind).toBeUndefined();
    const ne = await call('GET', `${path}?labelSelector=${encodeURIComponent('tier!=front')}`);
    expect(ne.body.items.map((i: Body) => i.metadata.name)).toEqual(['b']);
    const set = await call(
      'GET',
      `${path}?labelSelector=${encodeURIComponent('tier in (back,side)')}`,
    );
    expect(set.body.items.map((i: Body) => i.metadata.name)).toEqual(['b']);
  });

  it('lists a namespaced kind across namespaces', async () => {
    await call('POST', '/apis/flagger.app/v1beta1/namespaces/other/canaries', {
      ...canary('elsewhere'),
      metadata: { name: 'elsewhere', namespace: 'other' },
    });
    const all = await call('GET', '/apis/flagger.app/v1beta1/canaries');
    const namespaces = new Set(all.body.items.map((i: Body) => i.metadata.namespace));
    expect(namespaces).toEqual(new Set(['apps', 'other']));
    expect(all.body.items[0].apiVersion).toBe('flagger.app/v1beta1');
  });

  it('serves one TrafficSplit through both SMI versions', async () => {
    const created = await call(
      'POST',
      '/apis/split.smi-spec.io/v1alpha1/namespaces/apps/trafficsplits',
      {
        apiVersion: 'split.smi-spec.io/v1alpha1',
        kind: 'TrafficSplit',
        metadata: { name: 'web' },
        spec: { service: 'web', backends: [{ service: 'web-primary', weight: '100' }] },
      },
    );
    expect(created.status).toBe(201);
    const v2 = await call(
      'GET',
      '/apis/split.smi-spec.io/v1alpha2/namespaces/apps/trafficsplits/web',
    );
    expect(v2.body.apiVersion).toBe('split.smi-spec.io/v1alpha2');
    expect(v2.body.spec.backends).toEqual([{ service: 'web-primary', weight: '100' }]);
  });

  it('deletes with a Success Status and then answers NotFound', async () => {
    await call('POST', CANARIES, canary('doomed'));
    const res = await call('DELETE', `${CANARIES}/doomed`);
    expect(res.body).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'doomed' },
    });
    expect((await call('GET', `${CANARIES}/doomed`)).status).toBe(404);
  });

  it('applies JSON patches and refuses unknown patch types', async () => {
    await call('POST', CANARIES, canary('jp'));
    const res = await call(
      'PATCH',
      `${CANARIES}/jp`,
      [
        {
          op: 'add',
          path: '/metadata/annotations',
          value: { 'greenlight.dev/approved-revision': 'abc' },
        },
      ],
      'application/json-patch+json',
    );
    expect(res.body.metadata.annotations).toEqual({ 'greenlight.dev/approved-revision': 'abc' });
    const bad = await call('PATCH', `${CANARIES}/jp`, {}, 'text/plain');
    expect(bad.status).toBe(415);
  });

  it('creates on server-side apply when missing and merges when present', async () => {
    const path = `${CANARIES}/applied?fieldManager=greenlight&force=true`;
    const first = await call('PATCH', path, canary('applied'), 'application/apply-patch+yaml');
    expect(first.status).toBe(201);
    expect(first.body.metadata.managedFields).toEqual([
      expect.objectContaining({ manager: 'greenlight', operation: 'Apply' }),
    ]);
    const second = await call(
      'PATCH',
      path,
      { ...canary('applied'), spec: { ...canary('applied').spec, skipAnalysis: true } },
      'application/apply-patch+yaml',
    );
    expect(second.status).toBe(200);
    expect(second.body.spec.skipAnalysis).toBe(true);
    expect(second.body.metadata.generation).toBe(2);
    const noManager = await call(
      'PATCH',
      `${CANARIES}/applied`,
      canary('applied'),
      'application/apply-patch+yaml',
    );
    expect(noManager.status).toBe(422);
  });

  it('rejects a body whose name disagrees with the URL', async () => {
    const res = await call('PUT', `${CANARIES}/one`, canary('two'));
    expect(res.status).toBe(400);
    expect(res.body.reason).toBe('BadRequest');
  });

  it('describes its resources for discovery', async () => {
    const list = await call('GET', '/apis/flagger.app/v1beta1');
    expect(list.body.resources).toContainEqual(
      expect.objectContaining({
        name: 'canaries',
        singularName: 'canary',
        namespaced: true,
        kind: 'Canary',
      }),
    );
    expect(list.body.resources).toContainEqual(
      expect.objectContaining({ name: 'canaries/status' }),
    );
    const groups = await call('GET', '/apis');
    const gateway = groups.body.groups.find((g: Body) => g.name === 'gateway.networking.k8s.io');
    expect(gateway.preferredVersion.version).toBe('v1');
    expect((await call('GET', '/api/v1')).body.resources.map((r: Body) => r.name)).toContain(
      'services',
    );
  });

  it('logs each request with its content type and status', async () => {
    const before = server.requestLog.length;
    await call(
      'PATCH',
      `${CANARIES}/logged?fieldManager=greenlight`,
      canary('logged'),
      'application/apply-patch+yaml',
    );
    expect(server.requestLog.slice(before)).toEqual([
      {
        method: 'PATCH',
        path: `${CANARIES}/logged`,
        query: { fieldManager: 'greenlight' },
        contentType: 'application/apply-patch+yaml',
        status: 201,
        watch: false,
      },
    ]);
    expect(server.writes().every((w) => w.method !== 'GET')).toBe(true);
  });
});

describe('the sandbox API with a token', () => {
  it('refuses requests without the bearer token and accepts them with it', async () => {
    const guarded = await startApiServer({ token: 's3cret' });
    try {
      const anonymous = await fetch(`${guarded.url}/api/v1`);
      expect(anonymous.status).toBe(401);
      const authorised = await fetch(`${guarded.url}/api/v1`, {
        headers: { Authorization: 'Bearer s3cret' },
      });
      expect(authorised.status).toBe(200);
      expect(guarded.kubeconfig()).toContain('token: "s3cret"');
    } finally {
      await guarded.close();
    }
  });
});
