// The smallest control plane of the tier: etcd, the real kube-apiserver and the upstream
// CRDs, nothing that reconciles. For scenarios about what the API server itself admits
// (admission.test.ts), where Flagger, Prometheus and the gate would only add start-up time.
// `stop()` ends both processes by their PIDs and removes etcd's store; the logs stay.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { createKubeClient, type KubeClient } from '@greenlight/core';
import { startApiServer, type ApiServer } from './apiserver.ts';
import { makePki, type Pki } from './certs.ts';
import { applyCrds } from './crds.ts';
import { readE2eEnv } from './env.ts';
import { startEtcd } from './etcd.ts';
import type { ManagedProcess } from './process.ts';
import { cleanUpOnExit, killOnExit } from './reaper.ts';

export interface ApiOnly {
  dir: string;
  pki: Pki;
  apiserver: ApiServer;
  /** cluster-admin. */
  kc: KubeConfig;
  kube: KubeClient;
  /** Every process's log tail, for a failure report. */
  report(lines?: number): string;
  stop(): Promise<void>;
}

export async function startApiOnly(): Promise<ApiOnly> {
  const env = readE2eEnv();
  const dir = mkdtempSync(join(tmpdir(), 'greenlight-e2e-api-'));
  const processes: ManagedProcess[] = [];
  const removeStore = () => rmSync(join(dir, 'etcd-data'), { recursive: true, force: true });
  const forgetStore = cleanUpOnExit(removeStore);
  const report = (lines = 30) =>
    [
      `e2e logs are in ${dir}`,
      ...processes.map((p) => `--- ${p.name} (pid ${p.pid}) ${p.logFile}\n${p.tail(lines)}`),
    ].join('\n');
  const stop = async () => {
    for (const p of [...processes].reverse()) await p.stop();
    removeStore();
    forgetStore();
  };
  const track = <T extends { process: ManagedProcess }>(started: T): T => {
    processes.push(started.process);
    killOnExit(started.process);
    return started;
  };
  try {
    const pki = makePki(env.openssl, dir);
    const etcd = track(await startEtcd(env.etcd, dir));
    const apiserver = track(await startApiServer(env.kubeApiserver, dir, etcd.url, pki));
    const kc = new KubeConfig();
    kc.loadFromFile(apiserver.adminKubeconfig);
    const kube = createKubeClient(kc);
    await applyCrds(kube, env.crds);
    return { dir, pki, apiserver, kc, kube, report, stop };
  } catch (error) {
    const tails = report();
    await stop();
    throw new Error(`the API server did not start: ${(error as Error).message}\n${tails}`, {
      cause: error,
    });
  }
}
