// ScenarioCluster on the sandbox: the API stand-in, the Flagger-behaving controller, the
// mesh with its simulated users, its Prometheus, the real gate and the real prober, in this
// process, running fast.
import { startProber, startSandbox } from '@greenlight/sandbox';
import type { ScenarioCluster } from './cluster.ts';
import { KubeScenarioCluster } from './kube-cluster.ts';

/** Flagger's shortest interval (10 s), run 50 times faster: a step every 200 ms. */
const INTERVAL = '10s';
const SPEED = 50;

export async function startSandboxCluster(): Promise<ScenarioCluster> {
  const sandbox = await startSandbox({ speed: SPEED });
  const prober = await startProber(sandbox);
  return new KubeScenarioCluster({
    kube: sandbox.kube,
    gateUrl: sandbox.gateUrl,
    prometheusAddress: sandbox.metricsUrl,
    probeUrl: prober.url,
    interval: INTERVAL,
    intervalMs: 10_000 / SPEED,
    close: async () => {
      await prober.close();
      await sandbox.close();
    },
  });
}
