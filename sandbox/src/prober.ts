import { setGlobalProxyFromEnv } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createKubeClient } from '@greenlight/core';
import { createProbeServer, ProbeMetrics, ProbeRecorder } from '@greenlight/gate';
import type { Sandbox } from './start.ts';

// The real prober (greenlight-probe, docs/probes.md) on the sandbox: Flagger's probe webhooks
// reach it at `url`, and the `<name>-canary.<namespace>:<port>` it dials reaches the real
// example chatbot of the revision under test through the sandbox's mesh, which counts its
// replies as Linkerd would. Its requests go through the mesh by Node's own proxy support,
// set for this whole process (what NODE_USE_ENV_PROXY=1 HTTP_PROXY=… does at startup) until
// `close`; loopback, where every other sandbox part listens, is not proxied.

export interface SandboxProber {
  /** What Canaries take as `probeUrl` (the action's `probe-url`). */
  url: string;
  close(): Promise<void>;
}

export async function startProber(
  sandbox: Pick<Sandbox, 'kubeconfig' | 'mesh'>,
  log: (line: string) => void = () => undefined,
): Promise<SandboxProber> {
  const restoreProxy = setGlobalProxyFromEnv({
    HTTP_PROXY: sandbox.mesh.url,
    NO_PROXY: '127.0.0.1,localhost',
  });
  const recorder = new ProbeRecorder(createKubeClient(sandbox.kubeconfig));
  const server = createProbeServer({
    kube: createKubeClient(sandbox.kubeconfig),
    metrics: new ProbeMetrics(),
    recorder,
    log,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await recorder.flush();
      restoreProxy();
    },
  };
}
