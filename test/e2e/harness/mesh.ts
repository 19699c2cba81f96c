// The e2e tier's mesh: the sandbox's mesh (startMesh, @greenlight/sandbox: weights router,
// Linkerd-format counts of the actual responses, simulated users) with each Deployment of the
// functions namespace run as one real example-chatbot process
// (examples/chatbot/chatbot/server.ts under the pinned Node 24) with its pod template's `env`
// and PORT on a free loopback port, routable once it answers /_/health.
// The kubelet shim (the sandbox's, see control-plane.ts) still writes /status; this only runs the code.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { KubeConfig } from '@kubernetes/client-node';
import { startMesh as startSandboxMesh, type Launch, type Mesh } from '@greenlight/sandbox';
import { freePort } from './ports.ts';
import { ManagedProcess } from './process.ts';
import { killOnExit } from './reaper.ts';

export type { Mesh } from '@greenlight/sandbox';

const SERVER = fileURLToPath(
  new URL('../../../examples/chatbot/chatbot/server.ts', import.meta.url),
);
const REPO_NODE = fileURLToPath(new URL('../../../node_modules/node/bin/node', import.meta.url));

/** The pinned Node 24: this one when the tests run under it, else the `node` package's. */
function nodeBinary(): string {
  if (Number(process.versions.node.split('.')[0]) >= 24) return process.execPath;
  if (existsSync(REPO_NODE)) return REPO_NODE;
  throw new Error('no Node 24 to run the chatbot: run `npm ci` (the `node` devDependency)');
}

export function startMesh(
  kubeconfig: KubeConfig,
  namespace: string,
  dir: string,
  log: (line: string) => void,
): Promise<Mesh> {
  let started = 0;
  const launch: Launch = async (deployment, env) => {
    const name = deployment.metadata?.name ?? '';
    const port = await freePort();
    const proc = new ManagedProcess({
      name: `pod-${name}-${++started}`,
      command: nodeBinary(),
      args: [SERVER],
      dir,
      env: { PATH: process.env.PATH, ...env, PORT: String(port) },
    });
    killOnExit(proc);
    const url = `http://127.0.0.1:${port}`;
    await proc.waitUntil(`${name} to answer /_/health`, async () => {
      return (await fetch(`${url}/_/health`)).ok;
    });
    log(`pods: ${name}: pid ${proc.pid} on ${url} (${proc.logFile})`);
    return {
      url,
      async stop() {
        await proc.stop();
        log(`pods: ${name}: stopped pid ${proc.pid}`);
      },
    };
  };
  return startSandboxMesh({ kubeconfig, namespace, launch, log });
}
