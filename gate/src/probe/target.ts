import type { V1Deployment } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import {
  isDnsLabel,
  retrying,
  revisionOf,
  type KubeClient,
  type WebhookPayload,
} from '@greenlight/core';
import { ProbeProblem } from './problem.ts';

// Where a probe goes (docs/design.md, "Flagger facts"): Flagger serves the candidate as
// Service `<service>-canary`, `<service>` being spec.service.name or else the target's name,
// on spec.service.port. The URL is built from the Canary alone — never from the webhook's
// metadata, which anything that reaches the prober can write. The Canary's writer is not
// trusted either: the service name and namespace go into the URL's host, so each must be the
// label Kubernetes would accept (`evil.example/#` would otherwise send the probe elsewhere).

/** A Service name (DNS-1035 label); `<service>-canary` must be one too. */
const SERVICE_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const CANARY_SUFFIX = '-canary';
const MAX_LABEL = 63;

export interface ProbeTarget {
  canary: Canary;
  /** `http://<service>-canary.<namespace>:<port>` */
  baseUrl: string;
  /** The target's `greenlight.dev/revision`, or `unknown` when it has none. */
  revision: string;
  namespace: string;
  /** spec.targetRef.name, and the Deployment of that name when it exists. */
  deploymentName: string;
  deployment: V1Deployment | undefined;
}

/** Reads the Canary the payload names and its target; a ProbeProblem when it cannot. */
export async function readTarget(
  kube: Pick<KubeClient, 'get'>,
  payload: WebhookPayload,
): Promise<ProbeTarget> {
  const { namespace, name } = payload;
  if (!isDnsLabel(namespace)) {
    throw new ProbeProblem(
      400,
      `The webhook's namespace ${JSON.stringify(namespace)} is not a Kubernetes namespace name (a DNS-1123 label: lowercase letters, digits and '-', at most 63 characters).`,
    );
  }
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
  const field = canary.spec?.service?.name ? 'spec.service.name' : 'spec.targetRef.name';
  const service = canary.spec?.service?.name || targetName;
  if (!SERVICE_NAME.test(service) || service.length + CANARY_SUFFIX.length > MAX_LABEL) {
    throw new ProbeProblem(
      400,
      `Canary ${namespace}/${name} has ${field} ${JSON.stringify(service)}, which cannot name its canary Service ${JSON.stringify(service + CANARY_SUFFIX)}: write a DNS-1035 label (lowercase letters, digits and '-', starting with a letter) of at most ${MAX_LABEL - CANARY_SUFFIX.length} characters.`,
    );
  }
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
    namespace,
    deploymentName: targetName,
    deployment: target,
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
