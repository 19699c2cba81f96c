// Attack family: a stale watch. The gate's watch connection stops delivering without closing
// (a dead NAT entry, a wedged proxy — here a proxy that holds every watch stream open and
// silent) and the Deployment is changed behind it. The gate, run as `greenlight-gate` runs,
// must never answer 200 for the revision that is no longer under analysis, must become
// unready within its silence bound, and must recover once watches flow again (issue 12,
// "No yes on stale data").
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type ApiServer } from '@greenlight/sandbox';
import { KubeConfig } from '@kubernetes/client-node';
import { approve, createKubeClient, type KubeClient } from '@greenlight/core';
import { deployChatbot, eventually } from '@greenlight/test-kit/cluster';
import { waitingPromotion } from '@greenlight/test-kit/processes/gate';
import { startStallingProxy, type StallingProxy } from '@greenlight/test-kit/faults/stalling-proxy';
import { GATE_BIN, start, type Running } from '@greenlight/test-kit/processes/spawn';

const SILENCE_SECONDS = 2;
const ref = { namespace: 'openfaas-fn', name: 'chatbot' };

let api: ApiServer;
let proxy: StallingProxy;
let kube: KubeClient;
let dir: string;
let gate: Running;
let url: string;

beforeAll(async () => {
  // Bookmarks every 200 ms: a live quiet watch is never silent for the 2 s bound.
  api = await startApiServer({ bookmarkIntervalMs: 200 });
  proxy = await startStallingProxy(api.url);
  const kc = new KubeConfig();
  kc.loadFromString(api.kubeconfig());
  kube = createKubeClient(kc);
  dir = await mkdtemp(join(tmpdir(), 'stale-watch-'));
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(kubeconfig, api.kubeconfig().replace(api.url, proxy.url), { mode: 0o600 });
  await deployChatbot(kube, { revision: 'rev-1' });
  gate = start(GATE_BIN, ['--port', '0', '--host', '127.0.0.1', '--kubeconfig', kubeconfig], {
    GREENLIGHT_WATCH_SILENCE_TIMEOUT: String(SILENCE_SECONDS),
  });
  await eventually(() => gate.out().includes('caches synced'), 15_000);
  url = `http://127.0.0.1:${/listening on (\d+)/.exec(gate.out())?.[1]}`;
});

afterAll(async () => {
  gate?.child.kill('SIGTERM');
  await gate?.exited;
  await proxy?.close();
  await api?.close();
  await rm(dir, { recursive: true, force: true });
});

const promote = (payload: object) =>
  fetch(`${url}/gate/promotion`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });

test('a silent watch: no 200 for the revision that left the Deployment, unready within the bound, recovers', async () => {
  const payload = await waitingPromotion(api.url, kube);
  await approve(kube, ref, { note: 'rev-1 reviewed' });
  await eventually(async () => (await promote(payload)).status === 200, 10_000);

  // The watches go silent, then the Deployment moves on under the same Canary and payload:
  // the gate's cache still holds rev-1, approved.
  proxy.stall();
  const stalledAt = Date.now();
  await deployChatbot(kube, { revision: 'rev-2' });

  const answers: { status: number; code: string; revision?: string }[] = [];
  let unreadyAfterMs: number | undefined;
  while (Date.now() - stalledAt < (SILENCE_SECONDS + 3) * 1000) {
    const response = await promote(payload);
    answers.push({ status: response.status, ...((await response.json()) as { code: string }) });
    if ((await fetch(`${url}/readyz`)).status === 503) {
      unreadyAfterMs = Date.now() - stalledAt;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(answers.filter((answer) => answer.status === 200)).toEqual([]);
  // While the cache still looked synced, the live read saw rev-2.
  expect(answers[0]).toMatchObject({ status: 403, code: 'OtherRevision', revision: 'rev-2' });
  expect(unreadyAfterMs).toBeDefined();
  expect(unreadyAfterMs!).toBeLessThan((SILENCE_SECONDS + 1.5) * 1000);

  const readyz = (await (await fetch(`${url}/readyz`)).json()) as {
    caches: { cache: string; synced: boolean; lastError?: string; fix?: string }[];
  };
  const silent = readyz.caches.filter((cache) => !cache.synced);
  expect(silent.length).toBeGreaterThan(0);
  expect(silent[0]?.lastError).toContain(
    `delivered no event and no bookmark for ${SILENCE_SECONDS} s`,
  );
  expect(silent[0]?.fix).toContain('went quiet without closing');
  expect(gate.err()).toContain('cache is not synced, so the gate refuses every webhook');
  expect((await promote(payload)).status).not.toBe(200);

  // Watches flow again: ready within a few bookmarks, and deciding on what is there now.
  proxy.heal();
  await eventually(async () => (await fetch(`${url}/readyz`)).status === 200, 10_000);
  expect(await (await promote(payload)).json()).toMatchObject({
    code: 'OtherRevision',
    revision: 'rev-2',
  });
  const next = await waitingPromotion(api.url, kube);
  await approve(kube, ref, { note: 'rev-2 reviewed' });
  await eventually(async () => (await promote(next)).status === 200, 10_000);
  expect(gate.err()).toContain('cache is synced again');
}, 40_000);
