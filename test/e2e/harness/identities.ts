// Who a scenario acts as: a ServiceAccount's token from the TokenRequest API (as a kubelet
// mounts one, or `kubectl create token` prints one), and plain HTTPS requests with it, so
// what the API server answers — status and message — is seen as any client would see it.
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';

export interface Identity {
  /** `system:serviceaccount:<namespace>:<name>`. */
  username: string;
  token: string;
}

export async function serviceAccountIdentity(
  admin: KubeConfig,
  namespace: string,
  name: string,
): Promise<Identity> {
  const issued = await admin.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({
    name,
    namespace,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const token = issued.status?.token;
  if (!token)
    throw new Error(`the API server issued no token for ServiceAccount ${namespace}/${name}`);
  return { username: `system:serviceaccount:${namespace}:${name}`, token };
}

/**
 * The identity a kubeconfig of the harness authenticates as (a static token of apiserver.ts,
 * such as Flagger's), for plain requests as that process would send them.
 */
export function kubeconfigIdentity(file: string, username: string): Identity {
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  const token = kc.getCurrentUser()?.token;
  if (!token) throw new Error(`kubeconfig ${file} holds no bearer token`);
  return { username, token };
}

export interface ApiAnswer {
  status: number;
  /** The parsed body: the object written, or a metav1.Status with the refusal's message. */
  body: { message?: string; metadata?: { annotations?: Record<string, string> } } & Record<
    string,
    unknown
  >;
}

/** One request to the API server as `identity`, verified with the run's CA. */
export function apiRequest(
  server: string,
  caCert: string,
  identity: Identity,
  method: string,
  path: string,
  body?: object,
  contentType = 'application/json',
): Promise<ApiAnswer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, server),
      {
        method,
        ca: readFileSync(caCert),
        headers: {
          authorization: `Bearer ${identity.token}`,
          accept: 'application/json',
          ...(payload === undefined
            ? {}
            : { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) }),
        },
        timeout: 15_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
          } catch {
            resolve({ status: res.statusCode ?? 0, body: { message: text } });
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}
