import { readFileSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

/** Writes a kubeconfig for `server` that authenticates with a bearer token. */
export function writeKubeconfig(
  file: string,
  server: string,
  caCert: string,
  user: string,
  token: string,
): string {
  const ca = readFileSync(caCert).toString('base64');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'e2e', cluster: { server, 'certificate-authority-data': ca } }],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: user, context: { cluster: 'e2e', user, namespace: 'openfaas-fn' } }],
    'current-context': user,
  };
  writeFileSync(file, stringify(config), { mode: 0o600 });
  return file;
}
