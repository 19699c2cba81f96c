// Shared by the kube*.test.ts files: a KubeConfig for the sandbox API, and polling.
import { KubeConfig } from '@kubernetes/client-node';
import type { ApiServer } from '@greenlight/sandbox';

export function kubeConfigFor(server: ApiServer): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(server.kubeconfig());
  return kc;
}

/** Resolves when `condition()` holds; fails the test with `what` after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean,
  what: string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
