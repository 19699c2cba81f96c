import { randomBytes } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeClient, SigningSecretRef } from '@greenlight/core';

/**
 * As `faas-cli secret create` would: the Secret the probes file signs Slack turns with, a
 * random value. The sandbox's chatbot finds no mounted secret file, so it does not verify them.
 */
export async function signingSecret(
  kube: KubeClient,
  namespace: string,
  ref: SigningSecretRef,
): Promise<void> {
  const value = randomBytes(24).toString('hex');
  await kube.apply({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: ref.secret, namespace },
    data: { [ref.key]: Buffer.from(value).toString('base64') },
  } as KubernetesObject);
}
