// The real gate (gate/bin/greenlight-gate.js) as its own process, authenticated as a
// ServiceAccount with only the RBAC it needs, so a missing permission fails here as it
// would in a cluster.
import type { KubeConfig, V1Role } from '@kubernetes/client-node';
import { CoreV1Api } from '@kubernetes/client-node';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { KubeClient } from '@greenlight/core';
import { writeKubeconfig } from './kubeconfig.ts';
import { freePort } from './ports.ts';
import { ManagedProcess } from './process.ts';

const GATE_BIN = fileURLToPath(new URL('../../../gate/bin/greenlight-gate.js', import.meta.url));
export const GATE_NAMESPACE = 'greenlight';
export const GATE_ACCOUNT = 'greenlight-gate';

export interface Gate {
  process: ManagedProcess;
  url: string;
  kubeconfig: string;
}

/** The least the gate needs in the functions' namespace: read Canaries and Deployments, write Events. */
export function gateRole(namespace: string): V1Role {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: GATE_ACCOUNT, namespace },
    rules: [
      { apiGroups: ['flagger.app'], resources: ['canaries'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
    ],
  };
}

/** Creates the ServiceAccount and its Role, and a kubeconfig holding a token for it. */
export async function gateIdentity(
  kube: KubeClient,
  kc: KubeConfig,
  dir: string,
  server: string,
  caCert: string,
  namespace: string,
): Promise<string> {
  await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: GATE_NAMESPACE } });
  await kube.apply({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: GATE_ACCOUNT, namespace: GATE_NAMESPACE },
  });
  await kube.apply(gateRole(namespace));
  await kube.apply({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: GATE_ACCOUNT, namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: GATE_ACCOUNT },
    subjects: [{ kind: 'ServiceAccount', name: GATE_ACCOUNT, namespace: GATE_NAMESPACE }],
  });
  // No token controller runs here; the TokenRequest API issues a bound token, as the
  // kubelet does for a projected service-account volume.
  const request = await kc.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({
    name: GATE_ACCOUNT,
    namespace: GATE_NAMESPACE,
    body: { spec: { audiences: [], expirationSeconds: 7200 } },
  });
  const token = request.status?.token;
  if (!token) throw new Error('the API server issued no token for the gate ServiceAccount');
  return writeKubeconfig(join(dir, 'gate.kubeconfig'), server, caCert, GATE_ACCOUNT, token);
}

export async function startGate(
  dir: string,
  kubeconfig: string,
  namespace: string,
  port?: number,
): Promise<Gate> {
  const listen = port ?? (await freePort());
  const url = `http://127.0.0.1:${listen}`;
  const process = new ManagedProcess({
    name: 'gate',
    // Node 24 under npm scripts: the gate runs its TypeScript sources directly.
    command: globalThis.process.execPath,
    args: [
      GATE_BIN,
      `--kubeconfig=${kubeconfig}`,
      `--namespace=${namespace}`,
      '--host=127.0.0.1',
      `--port=${listen}`,
    ],
    dir,
  });
  await process.waitUntil('ready (caches synced)', async () => (await fetch(`${url}/readyz`)).ok);
  return { process, url, kubeconfig };
}
