// The real prober (gate/bin/greenlight-probe.js) as its own process, as harness/gate.ts runs
// the gate: authenticated as the probe ServiceAccount the greenlight-gate chart renders, with
// the chart's Role (get canaries, deployments, the signing secrets it lists; create events),
// and with the mesh as its HTTP proxy (NODE_USE_ENV_PROXY=1 HTTP_PROXY=<mesh>), so its
// requests to `http://<name>-canary.<namespace>:<port>` reach the canary's real chatbot
// process and are counted as Linkerd would count them.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ControlPlane } from './control-plane.ts';
import { deploymentAccount, GATE_NAMESPACE } from './gate.ts';
import { serviceAccountIdentity } from './identities.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import { freePort } from './ports.ts';
import { ManagedProcess } from './process.ts';
import { killOnExit } from './reaper.ts';

/** The prober's Deployment in the greenlight-gate chart (release greenlight-gate). */
const PROBE_DEPLOYMENT = 'greenlight-probe';
const PROBE_BIN = fileURLToPath(new URL('../../../gate/bin/greenlight-probe.js', import.meta.url));

export interface Prober {
  process: ManagedProcess;
  /** What Canaries take as `probeUrl`. */
  url: string;
  /** `system:serviceaccount:greenlight:<name>`. */
  username: string;
}

export async function startProber(plane: ControlPlane): Promise<Prober> {
  // The chart's probe Deployment runs as its own ServiceAccount, with its own Role.
  const account = deploymentAccount(plane.gateIdentity.objects, PROBE_DEPLOYMENT);
  const identity = await serviceAccountIdentity(plane.kc, GATE_NAMESPACE, account.metadata.name);
  const kubeconfig = writeKubeconfig(
    join(plane.dir, 'probe.kubeconfig'),
    plane.apiserver.url,
    plane.caCert,
    account.metadata.name,
    identity.token,
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const process = new ManagedProcess({
    name: 'probe',
    command: globalThis.process.execPath,
    args: [PROBE_BIN, `--kubeconfig=${kubeconfig}`, '--host=127.0.0.1', `--port=${port}`],
    dir: plane.dir,
    // Only what it needs: no credentials of the test run; the API server (https, loopback)
    // is reached directly, the chatbots (http) through the mesh.
    env: {
      PATH: globalThis.process.env.PATH,
      NODE_USE_ENV_PROXY: '1',
      HTTP_PROXY: plane.mesh.url,
      NO_PROXY: '127.0.0.1,localhost',
    },
  });
  killOnExit(process);
  await process.waitUntil('listening', async () => (await fetch(`${url}/healthz`)).ok);
  return { process, url, username: identity.username };
}
