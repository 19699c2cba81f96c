// The docker builder as buildx is called, and the OpenFaaS target as the gateway sees it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestCluster, type TestCluster } from '@greenlight/test-kit/cluster';
import { runAction } from '@greenlight/test-kit/processes/run-action';
import { fakeTools, FAKE_DIGEST } from '@greenlight/test-kit/stand-ins/tools';
import { existingFunction } from '@greenlight/test-kit/flagger/steps';

const REV = 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0';
let cluster: TestCluster;

beforeEach(async () => {
  cluster = await startTestCluster();
  await existingFunction(cluster.kube, 'chatbot', 'v1');
  await existingFunction(cluster.kube, 'faq', 'v1');
});
afterEach(() => cluster.close());

test('docker pushes every function with buildx, a gha cache per function, and deploys the digest', async () => {
  const tools = await fakeTools();
  const run = await runAction({
    inputs: {
      kubeconfig: cluster.api.kubeconfig(),
      registry: 'ghcr.io/acme',
      tags: 'latest',
      platforms: 'linux/amd64,linux/arm64',
      'wait-until': 'applied',
    },
    env: { PATH: `${tools.bin}:${process.env.PATH}`, ACTIONS_RUNTIME_TOKEN: 'runtime' },
  });
  expect(run.errors).toEqual([]);
  expect(JSON.parse(run.outputs.images as string)).toEqual({
    chatbot: `ghcr.io/acme/chatbot@${FAKE_DIGEST}`,
    faq: `ghcr.io/acme/faq@${FAKE_DIGEST}`,
  });
  const builds = (await tools.calls()).filter((call) => call.includes('buildx build'));
  expect(builds).toHaveLength(2);
  const chatbot = builds.find((call) => call.includes('ghcr.io/acme/chatbot:'))!;
  expect(chatbot).toContain('--push');
  expect(chatbot).toContain('--platform linux/amd64,linux/arm64');
  expect(chatbot).toContain(`--tag ghcr.io/acme/chatbot:${REV} --tag ghcr.io/acme/chatbot:latest`);
  expect(chatbot).toContain('--cache-from type=gha,scope=chatbot');
  expect(chatbot).toContain('--cache-to type=gha,mode=max,scope=chatbot');
});

test('target openfaas updates the function through the gateway with basic auth, as faas-cli deploy does', async () => {
  const received: { method: string; url: string; auth?: string; body: Record<string, unknown> }[] =
    [];
  const gateway = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        auth: req.headers.authorization,
        body: JSON.parse(text),
      });
      // A new function: the update answers 404, so faas-cli creates it.
      res.writeHead(req.method === 'PUT' ? 404 : 202);
      res.end();
    });
  });
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  try {
    const run = await runAction({
      inputs: {
        kubeconfig: cluster.api.kubeconfig(),
        builder: 'none',
        functions: 'chatbot',
        target: 'openfaas',
        'openfaas-url': `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`,
        'openfaas-password': 'faas-secret',
        'wait-until': 'applied',
      },
    });
    expect(run.errors).toEqual([]);
    expect(received.map((r) => `${r.method} ${r.url}`)).toEqual([
      'PUT /system/functions',
      'POST /system/functions',
    ]);
    expect(received[1]?.auth).toBe(`Basic ${Buffer.from('admin:faas-secret').toString('base64')}`);
    expect(received[1]?.body).toMatchObject({
      service: 'chatbot',
      image: `registry.local/acme/chatbot:${REV}`,
      namespace: 'openfaas-fn',
      annotations: { 'greenlight.dev/revision': REV },
    });
    expect(run.stdout).toContain('::add-mask::faas-secret');
    const logged = run.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'));
    expect(logged.join('\n')).not.toContain('faas-secret');
  } finally {
    gateway.close();
  }
});
