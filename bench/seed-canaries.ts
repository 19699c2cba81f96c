// Canaries for the gate benchmarks, written through the API stand-in as Flagger and a user
// would: each with its target Deployment, held at confirm-promotion with Flagger's status,
// every other one approved through core's approve(), so the gate answers both ways.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import { approve, canaryChecksum, renderCanary, resolveCanaryOptions } from '@greenlight/core';
import { chatbotDeployment, type TestCluster } from '@greenlight/test-kit/cluster';
import { writeCanaryStatus } from '@greenlight/test-kit/flagger';

export const canaryName = (i: number) => `bot-${i}`;

/**
 * Seeds canaries `from` to `to - 1` of `namespace`, a few at a time (the stand-in answers
 * one request at a time anyway). Returns Flagger's checksum of each one's status, by name,
 * as it sends it in every webhook payload; even-numbered canaries are the approved ones.
 */
export async function seedCanaries(
  cluster: TestCluster,
  namespace: string,
  from: number,
  to: number,
): Promise<Record<string, string>> {
  const checksums: Record<string, string> = {};
  const seedOne = async (i: number) => {
    const name = canaryName(i);
    const ref = { namespace, name };
    const [canary] = renderCanary({ name }, resolveCanaryOptions({ namespace, approval: true }));
    await cluster.kube.apply(canary as KubernetesObject);
    await cluster.kube.apply(chatbotDeployment(name, namespace, `rev-${i}`) as KubernetesObject);
    // Held at confirm-promotion, as Flagger writes it (Promoted Unknown since the run began).
    await writeCanaryStatus(cluster.api.url, ref, 'WaitingPromotion');
    const written =
      i % 2 === 0 ? (await approve(cluster.kube, ref, { note: 'bench' })).canary : undefined;
    const current =
      written ??
      (await cluster.kube.get<Canary>({
        apiVersion: 'flagger.app/v1beta1',
        kind: 'Canary',
        ...ref,
      }));
    checksums[name] = canaryChecksum(current?.status);
  };
  let next = from;
  const worker = async () => {
    while (next < to) await seedOne(next++);
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return checksums;
}
