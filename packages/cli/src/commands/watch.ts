import { Command } from 'commander';
import type { KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import type { Canary, HTTPRoute, TrafficSplit } from 'flagger-types';
import { interpret, ObjectCache, UserError, type RolloutView } from '@greenlight/core';
import { connect, withClusterFlags } from '../cluster.ts';
import { EXIT } from '../exit-codes.ts';
import { rolloutLine } from '../format.ts';
import type { Io } from '../io.ts';
import { parseCanaryRef, type CanaryRef } from '../ref.ts';
import { loadRollout, routeApiVersion } from '../rollout.ts';

/**
 * `greenlight watch NS/CANARY`: one line per change until the rollout ends.
 * Exits 0 when it succeeds, 1 when it fails or the timeout passes.
 */
export function watchCommand(io: Io, setExit: (code: number) => void): Command {
  const command = new Command('watch')
    .description('follow a rollout live; exit 0 on Succeeded, 1 on Failed')
    .argument('<namespace/canary>', 'the Canary, e.g. openfaas-fn/chatbot')
    .option('--timeout <seconds>', 'give up after this many seconds (default: never)');
  return withClusterFlags(command).action(async (target: string, flags) => {
    const ref = parseCanaryRef(target);
    const timeout = flags.timeout === undefined ? undefined : Number(flags.timeout);
    if (timeout !== undefined && !(timeout > 0)) {
      throw new UserError(`must be a positive number of seconds, got "${flags.timeout}"`, {
        field: '--timeout',
      });
    }
    const { kc, kube } = connect(flags);
    const first = await loadRollout(kube, ref); // also fails fast when the canary is missing
    const canary = await kube.get<Canary & KubernetesObject>({
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      ...ref,
    });
    const scope = { namespace: ref.namespace };
    const canaries = new ObjectCache<Canary & KubernetesObject>(kc, {
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      ...scope,
    });
    const deployments = new ObjectCache<V1Deployment>(kc, { apiVersion: 'apps/v1', kind: 'Deployment', ...scope });
    const routes = new ObjectCache<(TrafficSplit | HTTPRoute) & KubernetesObject>(kc, {
      ...routeApiVersion(canary?.spec.provider),
      ...scope,
    });
    const caches = [canaries, deployments, routes];
    try {
      setExit(await follow(io, ref, first, { canaries, deployments, routes }, timeout));
    } finally {
      for (const cache of caches) cache.stop();
    }
  });
}

interface Caches {
  canaries: ObjectCache<Canary & KubernetesObject>;
  deployments: ObjectCache<V1Deployment>;
  routes: ObjectCache<(TrafficSplit | HTTPRoute) & KubernetesObject>;
}

async function follow(
  io: Io,
  ref: CanaryRef,
  first: RolloutView,
  caches: Caches,
  timeoutSeconds: number | undefined,
): Promise<number> {
  let lastLine = '';
  const print = (view: RolloutView) => {
    const line = rolloutLine(view);
    if (line.slice(9) !== lastLine) io.out(line);
    lastLine = line.slice(9);
  };
  print(first);
  if (first.verdict === 'succeeded') return EXIT.ok;
  if (first.verdict === 'failed') return EXIT.failure;

  return new Promise<number>((resolve, reject) => {
    const finish = (code: number) => {
      clearTimeout(timer);
      resolve(code);
    };
    const timer =
      timeoutSeconds === undefined
        ? undefined
        : setTimeout(() => {
            io.err(`greenlight: ${ref.namespace}/${ref.name} did not finish within ${timeoutSeconds}s\n`);
            finish(EXIT.failure);
          }, timeoutSeconds * 1000);
    io.signal?.addEventListener('abort', () => finish(EXIT.failure));

    const update = () => {
      if (![caches.canaries, caches.deployments, caches.routes].every((cache) => cache.synced)) return;
      const canary = caches.canaries.get(ref.namespace, ref.name);
      if (!canary) {
        io.err(`greenlight: Canary ${ref.namespace}/${ref.name} was deleted\n`);
        return finish(EXIT.failure);
      }
      const target = canary.spec.targetRef.name;
      const view = interpret({
        canary,
        route: caches.routes.get(ref.namespace, target),
        target: caches.deployments.get(ref.namespace, target),
        primary: caches.deployments.get(ref.namespace, `${target}-primary`),
      });
      print(view);
      if (view.verdict === 'succeeded') finish(EXIT.ok);
      if (view.verdict === 'failed') finish(EXIT.failure);
    };
    for (const cache of [caches.canaries, caches.deployments, caches.routes]) cache.onChange(update);
    Promise.all([caches.canaries.start(), caches.deployments.start(), caches.routes.start()])
      .then(update)
      .catch(reject);
  });
}
