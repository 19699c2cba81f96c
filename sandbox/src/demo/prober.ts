import { randomBytes } from 'node:crypto';
import { setGlobalProxyFromEnv } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { createKubeClient, type KubeClient, type SigningSecretRef } from '@greenlight/core';
import { createProbeServer, ProbeMetrics, ProbeRecorder } from '@greenlight/gate';
import { chatbotInProcess, startPods } from '../simulate/pods.ts';
import { startServiceProxy } from '../simulate/services.ts';

// The real prober (greenlight-probe, docs/probes.md) for the demo: Flagger's probe webhooks
// reach it at `url`, and the `<name>-canary.<namespace>:<port>` it dials reaches the real
// example chatbot running as the revision the target Deployment runs (../simulate/pods.ts,
// ../simulate/services.ts). Its requests go through that proxy by Node's own proxy support,
// set for this process only (what NODE_USE_ENV_PROXY=1 HTTP_PROXY=… does at startup);
// loopback, where every other sandbox part listens, is not proxied.

export interface DemoProber {
  /** The action's `probe-url`. */
  url: string;
  close(): Promise<void>;
}

export async function startProber(
  kubeconfig: KubeConfig,
  kube: KubeClient,
  namespace: string,
  signingSecret: SigningSecretRef | undefined,
  log: (line: string) => void,
): Promise<DemoProber> {
  // As `faas-cli secret create` would: the Secret the probes file signs Slack turns with.
  // The example stack mounts no `secrets:`, so the bot itself does not verify them.
  if (signingSecret) {
    const value = randomBytes(24).toString('hex');
    await kube.apply({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: signingSecret.secret, namespace },
      data: { [signingSecret.key]: Buffer.from(value).toString('base64') },
    } as KubernetesObject);
  }
  const pods = startPods(kubeconfig, namespace, chatbotInProcess, log);
  const proxy = await startServiceProxy(kubeconfig, pods);
  const restoreProxy = setGlobalProxyFromEnv({
    HTTP_PROXY: proxy.url,
    NO_PROXY: '127.0.0.1,localhost',
  });
  const recorder = new ProbeRecorder(createKubeClient(kubeconfig));
  const server = createProbeServer({
    kube: createKubeClient(kubeconfig),
    metrics: new ProbeMetrics(),
    recorder,
    log,
  });
  await Promise.all([
    pods.ready,
    proxy.ready,
    new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)),
  ]);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await recorder.flush();
      restoreProxy();
      await proxy.close();
      await pods.stop();
    },
  };
}
