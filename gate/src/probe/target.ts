import type { V1Deployment } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import { retrying, revisionOf, type KubeClient, type WebhookPayload } from '@greenlight/core';
import { ProbeProblem } from './problem.ts';

// Where a probe goes (docs/design.md, "Flagger facts"): Flagger serves the candidate as
// Service `<service>-canary`, `<service>` being spec.service.name or else the target's name,
// on spec.service.port. The URL is built from the Canary alone — never from the webhook's
// metadata, which anything that reaches the prober can write.

export interface ProbeTarget {
  canary: Canary;
  /** `http://<service>-canary.<namespace>:<port>` */
  baseUrl: string;
  /** The target's `greenlight.dev/revision`, or `unknown` when it has none. */
  revision: string;
}

/** Reads the Canary the payload names and its target; a ProbeProblem when it cannot. */
export async function readTarget(
  kube: Pick<KubeClient, 'get'>,
  payload: WebhookPayload,
): Promise<ProbeTarget> {
  const { namespace, name } = payload;
  const canary = await read(() =>
    kube.get<Canary>({ apiVersion: 'flagger.app/v1beta1', kind: 'Canary', namespace, name }),
  );
  if (!canary) {
    throw new ProbeProblem(
      404,
      `There is no Canary ${namespace}/${name}: the webhook names a Canary that does not exist (or the prober's Role does not cover namespace ${namespace}).`,
    );
  }
  const port = canary.spec?.service?.port;
  const targetName = canary.spec?.targetRef?.name;
  if (!port || !targetName) {
    throw new ProbeProblem(
      400,
      `Canary ${namespace}/${name} has no ${port ? 'spec.targetRef.name' : 'spec.service.port'}, so the prober cannot tell where its canary Service listens.`,
    );
  }
  const service = canary.spec?.service?.name || targetName;
  const target = await read(() =>
    kube.get<V1Deployment>({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace,
      name: targetName,
    }),
  );
  return {
    canary,
    baseUrl: `http://${service}-canary.${namespace}:${port}`,
    revision: revisionOf(target) ?? 'unknown',
  };
}

async function read<T>(get: () => Promise<T>): Promise<T> {
  try {
    // A transient 5xx, 429 or dropped connection is retried (100, 200, 400 ms apart).
    return await retrying(get);
  } catch (error) {
    throw new ProbeProblem(
      503,
      `The prober could not read the cluster (${(error as Error).message}); Flagger will call again.`,
    );
  }
}
