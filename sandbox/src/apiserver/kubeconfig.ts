// A kubeconfig that points client-node (or kubectl) at the stand-in.

export const SANDBOX_CONTEXT = 'greenlight-sandbox';

export function renderKubeconfig(server: string, token?: string): string {
  // JSON-quoted scalars are valid YAML and safe for any characters in the values.
  const q = (s: string) => JSON.stringify(s);
  const user = token ? `\n    user:\n      token: ${q(token)}` : '\n    user: {}';
  return `# The Greenlight sandbox: a local stand-in for the Kubernetes API, not a cluster.
apiVersion: v1
kind: Config
clusters:
  - name: ${SANDBOX_CONTEXT}
    cluster:
      server: ${q(server)}
      # Plain HTTP on loopback; client-node accepts an http:// server only with this set.
      insecure-skip-tls-verify: true
contexts:
  - name: ${SANDBOX_CONTEXT}
    context:
      cluster: ${SANDBOX_CONTEXT}
      user: ${SANDBOX_CONTEXT}
      namespace: default
current-context: ${SANDBOX_CONTEXT}
users:
  - name: ${SANDBOX_CONTEXT}${user}
preferences: {}
`;
}
