import { KubeApiError } from '@greenlight/core';

// While a cache is not synced the gate refuses every webhook, so a rollout waits; the
// person who reads the log (or /readyz) at 2 a.m. needs what failed and what to change.
// Messages come from core's kubeError, which never carries headers or credentials.

/** The resource and group RBAC names for the kinds the gate watches. */
const RESOURCES: Record<string, string> = {
  Canary: 'canaries.flagger.app',
  Deployment: 'deployments.apps',
};

/** What to do about a cache's sync failure, in one or two sentences. */
export function explainSyncError(kind: string, error: Error, server?: string): string {
  const resource = RESOURCES[kind] ?? kind;
  const at = server ? ` at ${server}` : '';
  const code = error instanceof KubeApiError ? error.code : undefined;
  const reason = error instanceof KubeApiError ? error.reason : undefined;
  if (code === 403) {
    const verb = /^could not (\w+)/.exec(error.message)?.[1] ?? 'list';
    return `The API server refused to let the gate ${verb} ${resource}: grant the gate's identity get, list and watch on ${resource} (the greenlight-gate chart's RBAC, templates/rbac.yaml: a ClusterRole, or a Role in the namespace given by --namespace / watchNamespace).`;
  }
  if (code === 401) {
    return `The API server${at} did not accept the gate's credentials: check the ServiceAccount token mounted in the pod (or the user of the kubeconfig given by --kubeconfig / KUBECONFIG).`;
  }
  if (code === 404) {
    return `The API server${at} does not serve ${resource}: is ${kind === 'Canary' ? "Flagger's Canary CustomResourceDefinition" : 'that API'} installed?`;
  }
  if (reason === 'WatchSilent') {
    return `The watch connection to the API server${at} went quiet without closing; check what sits between the gate and the API (proxies, NAT or load-balancer idle timeouts). The gate reconnects by itself.`;
  }
  if (code === undefined && reason === undefined) {
    return `The gate cannot reach the Kubernetes API${at}: check that address (the kubeconfig's server, or KUBERNETES_SERVICE_HOST in the cluster) and any NetworkPolicy on the gate's egress. The gate retries by itself.`;
  }
  return `The gate retries by itself; if this lasts, check the API server${at}.`;
}

export interface SyncLogger {
  /** For ObjectCache's onError. */
  failed(error: Error): void;
  /** For ObjectCache's onSync. */
  synced(): void;
}

/**
 * Logs a cache's sync failures with what to fix: the first, each that differs from the one
 * before, and a repeat at most every `repeatEveryMs` (the cache retries with backoff, up to
 * every 30 s, and one line per retry would bury everything else); then one line when synced.
 */
export function syncLogger(
  kind: string,
  description: () => string,
  log: (line: string) => void,
  options: { server?: string; repeatEveryMs?: number } = {},
): SyncLogger {
  const repeatEveryMs = options.repeatEveryMs ?? 5 * 60_000;
  let last: { message: string; at: number; repeats: number } | undefined;
  let failing = false;
  return {
    failed(error) {
      failing = true;
      const now = Date.now();
      if (last?.message === error.message && now - last.at < repeatEveryMs) {
        last.repeats++;
        return;
      }
      const repeats =
        last?.message === error.message && last.repeats
          ? ` (${last.repeats} more times since)`
          : '';
      last = { message: error.message, at: now, repeats: 0 };
      log(
        `gate: the ${description()} cache is not synced, so the gate refuses every webhook: ${error.message}${repeats}. ${explainSyncError(kind, error, options.server)}`,
      );
    },
    synced() {
      if (!failing) return;
      failing = false;
      last = undefined;
      log(`gate: the ${description()} cache is synced again`);
    },
  };
}
