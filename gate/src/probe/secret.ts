import type { V1Secret } from '@kubernetes/client-node';
import { KubeApiError, retrying, type FunctionProbe, type KubeClient } from '@greenlight/core';
import { referencesSecretKey } from './mounts.ts';
import { ProbeProblem } from './problem.ts';
import type { ProbeTarget } from './target.ts';

// The bot's Slack signing secret is read only when a Slack turn needs it, from the Secret
// the probe names in the Canary's namespace, and kept for this run alone: never logged,
// never in an answer or an Event. It is read only when the Canary's target Deployment itself
// is given that Secret's key (./mounts.ts), and the chart grants `get` on the Secrets it lists in
// probe.signingSecrets and no others (resourceNames).

/** The signing secret for `probe`'s Slack turns, or undefined when it has none. */
export async function signingSecretFor(
  kube: Pick<KubeClient, 'get'>,
  target: Pick<ProbeTarget, 'namespace' | 'deployment' | 'deploymentName'>,
  probe: FunctionProbe,
): Promise<string | undefined> {
  const ref = probe.signingSecret;
  const slack = probe.conversations.some((c) => c.turns.some((t) => t.request.kind !== 'webchat'));
  if (!ref || !slack) return undefined;
  const { namespace } = target;
  const id = `Secret ${namespace}/${ref.secret}`;
  if (!referencesSecretKey(target.deployment, ref.secret, ref.key)) {
    const deployment = `Deployment ${namespace}/${target.deploymentName}`;
    throw new ProbeProblem(
      403,
      `${target.deployment ? `${deployment} does not reference ${given(target, ref, id)}` : `There is no ${deployment}`}, so the prober will not sign with it: it signs only with a Secret the Canary's own target mounts. List ${ref.secret} under the function's secrets: in stack.yml (OpenFaaS mounts it at /var/openfaas/secrets/${ref.secret}), or reference it from the Deployment (env secretKeyRef, envFrom secretRef or a secret volume).`,
    );
  }
  let secret: V1Secret | undefined;
  try {
    secret = await retrying(() =>
      kube.get<V1Secret>({ apiVersion: 'v1', kind: 'Secret', namespace, name: ref.secret }),
    );
  } catch (error) {
    const refused = error instanceof KubeApiError && error.code === 403;
    throw new ProbeProblem(
      503,
      refused
        ? `The prober may not read ${id}: add {namespace: ${namespace}, name: ${ref.secret}} to the greenlight-gate chart's probe.signingSecrets.`
        : `The prober could not read ${id} (${(error as Error).message}); Flagger will call again.`,
    );
  }
  const encoded = secret?.data?.[ref.key];
  if (!secret || encoded === undefined) {
    throw new ProbeProblem(
      503,
      `${secret ? `${id} has no key ${ref.key}` : `There is no ${id}`}: probes.yml's signingSecret must name the Secret and key that hold the bot's Slack signing secret.`,
    );
  }
  return Buffer.from(encoded, 'base64').toString('utf8').trim();
}

/** The Secret, or its key when the Deployment is given only other keys of it. */
function given(
  target: Pick<ProbeTarget, 'deployment'>,
  ref: { secret: string; key: string },
  id: string,
) {
  return referencesSecretKey(target.deployment, ref.secret)
    ? `key ${ref.key} of ${id} (only other keys of it: a volume's items, an env secretKeyRef)`
    : id;
}
