// The e2e tier's control plane, all on loopback in a fresh temp folder: etcd,
// kube-apiserver, the upstream CRDs, the kubelet shim (the sandbox's), the mesh stand-in
// (real chatbot processes behind a Linkerd-format forward proxy, harness/mesh.ts), Prometheus,
// Flagger and the gate (under the greenlight-gate chart's RBAC and admission policies, the
// admin identity its approver).
// `stop()` ends every process by its PID, and a failed start stops what already runs
// before it throws with every log's tail.
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { createKubeClient, type KubeClient } from '@greenlight/core';
import { startKubelet } from '@greenlight/test-kit/kubelet';
import { startApiServer, type ApiServer } from './apiserver.ts';
import { makePki } from './certs.ts';
import { applyCrds } from './crds.ts';
import { readE2eEnv } from './env.ts';
import { startEtcd } from './etcd.ts';
import { startFlagger } from './flagger.ts';
import { startMesh, type Mesh } from './mesh.ts';
import { freePort } from './ports.ts';
import { gateIdentity, startGate, type Gate, type GateIdentity } from './gate.ts';
import { startPrometheus, waitForScrape, type Prometheus } from './prometheus.ts';
import type { ManagedProcess } from './process.ts';
import { cleanUpOnExit, killOnExit } from './reaper.ts';

export const FUNCTIONS_NAMESPACE = 'openfaas-fn';

export interface ControlPlaneOptions {
  /** Flagger's -mesh-provider; each Canary's spec.provider overrides it. Default linkerd. */
  meshProvider?: string;
  /** greenlight-gate chart values beside the harness's own (harness/gate.ts), e.g. `probe`. */
  gateValues?: object;
  /** Flagger's -cluster-name, which it puts in every alert. Default none. */
  clusterName?: string;
}

export interface ControlPlane {
  dir: string;
  kc: KubeConfig;
  kube: KubeClient;
  /** The CA that signed the API server's certificate, for kubeconfigs the harness writes. */
  caCert: string;
  apiserver: ApiServer;
  prometheus: Prometheus;
  /** The functions' pods, the forward proxy their traffic goes through, simulated users. */
  mesh: Mesh;
  gate: Gate;
  /** The greenlight-gate chart as installed, and the gate's ServiceAccount. */
  gateIdentity: GateIdentity;
  /** Stops the gate and starts it again on the same port (same URL in every Canary). */
  restartGate(): Promise<Gate>;
  /** Every process's log tail, for a failure report. */
  report(lines?: number): string;
  stop(): Promise<void>;
}

export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const env = readE2eEnv();
  const dir = mkdtempSync(join(tmpdir(), 'greenlight-e2e-'));
  const harnessLog = join(dir, 'harness.log');
  const log = (line: string) => appendFileSync(harnessLog, `${new Date().toISOString()} ${line}\n`);
  const processes: ManagedProcess[] = [];
  const stoppers: (() => void | Promise<void>)[] = [];
  const track = <T extends { process: ManagedProcess }>(started: T): T => {
    processes.push(started.process);
    killOnExit(started.process);
    return started;
  };
  const report = (lines = 30) =>
    [
      `e2e logs are in ${dir}`,
      ...processes.map(
        (p) =>
          `--- ${p.name} (pid ${p.pid}${p.exited ? ', exited' : ''}) ${p.logFile}\n${p.tail(lines)}`,
      ),
    ].join('\n');
  const stop = async () => {
    for (const stopper of stoppers.reverse())
      await Promise.resolve(stopper()).catch(() => undefined);
    stoppers.length = 0;
    for (const p of [...processes].reverse()) await p.stop();
    removeStores();
    forgetStores();
  };
  // The logs stay for the failure report; the stores go (etcd preallocates a 64 MB WAL),
  // also when the run is killed (SIGKILLed processes leave their stores behind).
  const removeStores = () => {
    for (const store of ['etcd-data', 'prometheus-data']) {
      rmSync(join(dir, store), { recursive: true, force: true });
    }
  };
  const forgetStores = cleanUpOnExit(removeStores);

  try {
    const pki = makePki(env.openssl, dir);
    const etcd = track(await startEtcd(env.etcd, dir));
    const apiserver = track(await startApiServer(env.kubeApiserver, dir, etcd.url, pki));
    log(`kube-apiserver ${env.kubernetesVersion} at ${apiserver.url}`);
    const kc = new KubeConfig();
    kc.loadFromFile(apiserver.adminKubeconfig);
    const kube = createKubeClient(kc);

    log(`CRDs: ${(await applyCrds(kube, env.crds)).join(', ')}`);
    await kube.apply({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: FUNCTIONS_NAMESPACE },
    });

    const kubelet = startKubelet({ kubeconfig: kc, log, logWrites: true });
    stoppers.push(() => kubelet.stop());
    await kubelet.ready;
    const mesh = await startMesh(kc, FUNCTIONS_NAMESPACE, dir, log);
    stoppers.push(() => mesh.stop());
    const prometheus = track(await startPrometheus(env.prometheus, dir, mesh.url));
    await waitForScrape(prometheus);
    track(
      await startFlagger({
        binary: env.flagger,
        dir,
        kubeconfig: apiserver.flaggerKubeconfig,
        prometheusUrl: prometheus.url,
        meshProvider: options.meshProvider ?? 'linkerd',
        ...(options.clusterName ? { clusterName: options.clusterName } : {}),
      }),
    );
    // The port first: the chart's keep-gate policy must know the URL the Canaries call.
    const gatePort = await freePort();
    const identity = await gateIdentity(
      kube,
      kc,
      dir,
      apiserver.url,
      pki.caCert,
      FUNCTIONS_NAMESPACE,
      options.gateValues ?? {},
      `http://127.0.0.1:${gatePort}`,
    );
    let gate = track(await startGate(dir, identity.kubeconfig, FUNCTIONS_NAMESPACE, gatePort));

    const plane: ControlPlane = {
      dir,
      kc,
      kube,
      caCert: pki.caCert,
      apiserver,
      prometheus,
      mesh,
      gateIdentity: identity,
      get gate() {
        return gate;
      },
      async restartGate() {
        await gate.process.stop();
        const port = Number(new URL(gate.url).port);
        gate = track(await startGate(dir, identity.kubeconfig, FUNCTIONS_NAMESPACE, port));
        return gate;
      },
      report,
      stop,
    };
    return plane;
  } catch (error) {
    const tails = report();
    await stop();
    throw new Error(`the e2e control plane did not start: ${(error as Error).message}\n${tails}`, {
      cause: error,
    });
  }
}
