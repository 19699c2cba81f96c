// The stand-in for the Linkerd proxies: the sandbox's traffic model served in the proxy's
// /metrics format, driven by the real cluster through the sandbox's own mesh stand-in
// (`startMesh`): weights are the ones Flagger wrote on the TrafficSplit or HTTPRoute, each
// Deployment's behaviour is its pod template's `sandbox.greenlight.dev/behaviour`
// annotation — so `<name>` and `<name>-primary` answer as the revision each of them runs,
// and a promotion carries the behaviour along — and a blue/green canary whose target runs
// gets the load-test traffic flagger-loadtester would send. Both tiers share that code.
import type { KubeConfig } from '@kubernetes/client-node';
import { startMesh, startMetricsServer, TrafficModel } from '@greenlight/sandbox';

export interface Exporter {
  /** Base URL; Prometheus scrapes `<url>/metrics`. */
  url: string;
  model: TrafficModel;
  stop(): Promise<void>;
}

export async function startExporter(
  kc: KubeConfig,
  log: (line: string) => void,
): Promise<Exporter> {
  const model = new TrafficModel({ seed: 7 });
  const mesh = startMesh({ kubeconfig: kc, model, log: (line) => log(`exporter: ${line}`) });
  await mesh.ready;
  const server = await startMetricsServer({ model });
  return {
    url: server.url,
    model,
    async stop() {
      mesh.stop();
      await server.close();
    },
  };
}
