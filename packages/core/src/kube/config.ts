// Where Greenlight finds its cluster: --kubeconfig, else $KUBECONFIG, else the pod's
// service account (in-cluster), else ~/.kube/config. client-node's loadFromDefault looks at
// ~/.kube/config before the service account and falls back to localhost:8080 when nothing
// exists; Greenlight prefers the pod's own identity and refuses to guess a server.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { UserError } from '../errors.ts';

export interface LoadKubeConfigOptions {
  /** A kubeconfig file (`--kubeconfig`). */
  kubeconfig?: string;
  /**
   * What the user calls `kubeconfig` in errors, when its path means nothing to them (the
   * action's `kubeconfig` input, written to a temporary file). Default: the path.
   */
  kubeconfigName?: string;
  /** A context to use instead of the file's current-context (`--context`). */
  context?: string;
  /** For tests: the environment to read KUBECONFIG and KUBERNETES_SERVICE_HOST from. */
  env?: NodeJS.ProcessEnv;
  /** For tests: the home directory holding `.kube/config`. */
  homeDir?: string;
  /** For tests: the service account directory of an in-cluster pod. */
  serviceAccountDir?: string;
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export function loadKubeConfig(options: LoadKubeConfigOptions = {}): KubeConfig {
  const env = options.env ?? process.env;
  const kc = new KubeConfig();
  const source = loadFirstAvailable(kc, options, env);
  if (options.context) useContext(kc, options.context, source);
  if (!kc.getCurrentCluster()) {
    throw new UserError(`the Kubernetes configuration from ${source} names no usable cluster`, {
      file: source.startsWith('/') ? source : undefined,
      hint: 'Set current-context to a context whose cluster exists, or pass --context',
    });
  }
  return kc;
}

function loadFirstAvailable(
  kc: KubeConfig,
  options: LoadKubeConfigOptions,
  env: NodeJS.ProcessEnv,
): string {
  if (options.kubeconfig) {
    loadFile(kc, options.kubeconfig, '--kubeconfig', options.kubeconfigName);
    return options.kubeconfigName ?? options.kubeconfig;
  }
  const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  if (fromEnv.length > 0) {
    const [first, ...rest] = fromEnv as [string, ...string[]];
    loadFile(kc, first, 'KUBECONFIG');
    // Like kubectl, later files in KUBECONFIG add clusters, users and contexts.
    for (const file of rest) {
      const more = new KubeConfig();
      loadFile(more, file, 'KUBECONFIG');
      kc.mergeConfig(more, true);
    }
    return first;
  }
  const saDir = options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  if (env.KUBERNETES_SERVICE_HOST && existsSync(join(saDir, 'token'))) {
    loadInCluster(kc, env, saDir);
    return 'the pod service account';
  }
  const home = join(options.homeDir ?? homedir(), '.kube', 'config');
  if (existsSync(home)) {
    loadFile(kc, home, '~/.kube/config');
    return home;
  }
  throw new UserError('no Kubernetes configuration found: pass --kubeconfig or set KUBECONFIG', {
    hint: 'Point it at a kubeconfig for the cluster Flagger runs in (`greenlight sandbox` writes one for the local sandbox)',
  });
}

function loadFile(kc: KubeConfig, file: string, origin: string, name = file): void {
  if (!existsSync(file)) {
    throw new UserError(`the kubeconfig file ${name} (from ${origin}) does not exist`, {
      hint: 'Check the path',
    });
  }
  try {
    kc.loadFromFile(file);
  } catch (err) {
    const { reason, line } = parseFailure(err);
    throw new UserError(`the kubeconfig file is not valid: ${reason}`, {
      file: name,
      ...(line ? { line } : {}),
      hint: 'Check it with `kubectl config view --kubeconfig <file>`',
    });
  }
}

/**
 * js-yaml's message quotes the lines around a syntax error, and a kubeconfig's lines hold
 * tokens and keys (cut short, so a runner's mask of the whole value misses them): keep only
 * the reason and the line.
 */
function parseFailure(err: unknown): { reason: string; line?: number } {
  const { reason, mark, message } = (err ?? {}) as {
    reason?: unknown;
    mark?: { line?: unknown };
    message?: unknown;
  };
  if (typeof reason === 'string' && typeof mark?.line === 'number') {
    return { reason, line: mark.line + 1 };
  }
  return { reason: String(message ?? err).split('\n')[0] ?? '' };
}

function loadInCluster(kc: KubeConfig, env: NodeJS.ProcessEnv, saDir: string): void {
  // client-node's loadFromCluster reads the service account from a fixed root (with an
  // optional prefix) and KUBERNETES_SERVICE_* from process.env; mirror that here.
  const host = env.KUBERNETES_SERVICE_HOST ?? '';
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const namespaceFile = join(saDir, 'namespace');
  kc.loadFromOptions({
    clusters: [{ name: 'inCluster', server, caFile: join(saDir, 'ca.crt'), skipTLSVerify: false }],
    users: [
      {
        name: 'inClusterUser',
        authProvider: { name: 'tokenFile', config: { tokenFile: join(saDir, 'token') } },
      },
    ],
    contexts: [
      {
        name: 'inClusterContext',
        cluster: 'inCluster',
        user: 'inClusterUser',
        ...(existsSync(namespaceFile) ? { namespace: readTrimmed(namespaceFile) } : {}),
      },
    ],
    currentContext: 'inClusterContext',
  });
}

function readTrimmed(file: string): string {
  return readFileSync(file, 'utf8').trim();
}

function useContext(kc: KubeConfig, context: string, source: string): void {
  const names = kc.getContexts().map((c) => c.name);
  if (!names.includes(context)) {
    throw new UserError(
      `there is no context "${context}" in the Kubernetes configuration from ${source}`,
      {
        field: '--context',
        hint: names.length
          ? `Use one of: ${names.join(', ')}`
          : 'The configuration defines no contexts',
      },
    );
  }
  kc.setCurrentContext(context);
}
