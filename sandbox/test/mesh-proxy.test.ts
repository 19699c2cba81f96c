// The mesh's forward proxy without a control plane: a client's request reaches the pod a
// route picks, and the pod's actual response is what the Linkerd-format page counts.
import { execFile } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { ProxyMetrics, startProxy, type Pod, type Proxy, type Routes } from '../src/mesh/index.ts';

let app: Server;
let proxy: Proxy;
let metrics: ProxyMetrics;
let pod: Pod | undefined;

beforeAll(async () => {
  app = createServer((req, res) =>
    res.writeHead(req.url === '/fail' ? 500 : 200).end(`${req.headers.host} ${req.url}`),
  );
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  pod = { namespace: 'openfaas-fn', deployment: 'chatbot', labels: {}, url };
  const routes: Routes = { ready: Promise.resolve(), stop() {}, pick: () => pod };
  metrics = new ProxyMetrics();
  proxy = await startProxy(routes, metrics, () => undefined);
});

afterAll(async () => {
  await proxy.close();
  await new Promise((resolve) => app.close(resolve));
});

const lines = (prefix: string) =>
  metrics
    .exposition()
    .split('\n')
    .filter((line) => line.startsWith(prefix));

test("Node's fetch through NODE_USE_ENV_PROXY (a CONNECT tunnel) reaches the pod, and each reply is counted as Linkerd classifies it", async () => {
  const script = `Promise.all(['/ok', '/fail'].map((p) => fetch('http://chatbot-canary.openfaas-fn:8080' + p).then(async (r) => r.status + ' ' + (await r.text())))).then((r) => console.log(JSON.stringify(r)))`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
    env: { PATH: process.env.PATH, NODE_USE_ENV_PROXY: '1', HTTP_PROXY: proxy.url },
    timeout: 10_000,
  });
  expect(JSON.parse(stdout)).toEqual([
    '200 chatbot-canary.openfaas-fn:8080 /ok',
    '500 chatbot-canary.openfaas-fn:8080 /fail',
  ]);
  expect(lines('response_total')).toEqual([
    'response_total{direction="inbound",namespace="openfaas-fn",deployment="chatbot",tls="true",status_code="200",classification="success"} 1',
    'response_total{direction="inbound",namespace="openfaas-fn",deployment="chatbot",tls="true",status_code="500",classification="failure"} 1',
  ]);
  expect(lines('response_latency_ms_count')).toHaveLength(2);
  expect(lines('response_latency_ms_bucket{').at(-1)).toMatch(/le="\+Inf"} 1$/);
});

test('a request in absolute form is forwarded; no endpoints is a 503 no proxy counts', async () => {
  const send = () =>
    new Promise<number>((resolve, reject) => {
      const { hostname, port } = new URL(proxy.url);
      request({ host: hostname, port, path: 'http://chatbot.openfaas-fn.svc.cluster.local:8080/' })
        .once('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .once('error', reject)
        .end();
    });
  const before = metrics.responses('openfaas-fn', 'chatbot')[200] ?? 0;
  expect(await send()).toBe(200);
  expect(metrics.responses('openfaas-fn', 'chatbot')[200]).toBe(before + 1);
  const saved = pod;
  pod = undefined;
  try {
    expect(await send()).toBe(503);
  } finally {
    pod = saved;
  }
  expect(metrics.responses('openfaas-fn', 'chatbot')[503]).toBeUndefined();
});
