// kube-apiserver built by test/e2e/setup, on loopback: TLS with the run's own CA, static
// tokens for the test (cluster-admin) and for Flagger, RBAC on, service-account tokens
// signed with the run's key (the gate authenticates with one).
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import type { Pki } from './certs.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import { freePort } from './ports.ts';
import { ManagedProcess } from './process.ts';

export interface ApiServer {
  process: ManagedProcess;
  url: string;
  /** cluster-admin (group system:masters): the tests' own identity. */
  adminKubeconfig: string;
  /** Flagger's identity, also system:masters (Flagger's chart grants it nearly as much). */
  flaggerKubeconfig: string;
}

export async function startApiServer(
  binary: string,
  dir: string,
  etcdUrl: string,
  pki: Pki,
): Promise<ApiServer> {
  const port = await freePort();
  const url = `https://127.0.0.1:${port}`;
  const admin = randomBytes(24).toString('hex');
  const flagger = randomBytes(24).toString('hex');
  const tokens = join(dir, 'tokens.csv');
  writeFileSync(
    tokens,
    `${admin},e2e-admin,e2e-admin,"system:masters"\n${flagger},flagger,flagger,"system:masters"\n`,
    { mode: 0o600 },
  );

  const process = new ManagedProcess({
    name: 'kube-apiserver',
    command: binary,
    dir,
    args: [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${port}`,
      `--tls-cert-file=${pki.servingCert}`,
      `--tls-private-key-file=${pki.servingKey}`,
      `--client-ca-file=${pki.caCert}`,
      `--token-auth-file=${tokens}`,
      '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki.serviceAccountPublicKey}`,
      `--service-account-signing-key-file=${pki.serviceAccountKey}`,
      // Virtual IPs only: the apiserver allocates Services' clusterIPs from it; nothing
      // here routes to them.
      '--service-cluster-ip-range=10.96.0.0/24',
      // The apiserver would publish 127.0.0.1 as the `kubernetes` Endpoints, which
      // validation refuses (loopback); no pod needs to reach it.
      '--endpoint-reconciler-type=none',
      `--cert-dir=${join(dir, 'apiserver-certs')}`,
      '--profiling=false',
      '--v=1',
    ],
  });
  const ca = readFileSync(pki.caCert);
  await process.waitUntil('ready', () => readyz(url, ca), 120_000);
  return {
    process,
    url,
    adminKubeconfig: writeKubeconfig(
      join(dir, 'admin.kubeconfig'),
      url,
      pki.caCert,
      'e2e-admin',
      admin,
    ),
    flaggerKubeconfig: writeKubeconfig(
      join(dir, 'flagger.kubeconfig'),
      url,
      pki.caCert,
      'flagger',
      flagger,
    ),
  };
}

function readyz(url: string, ca: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(`${url}/readyz`, { ca, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}
