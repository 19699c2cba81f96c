// The sandbox's users talk to every chatbot that has a Canary: `perSecond` messages to its
// apex Service (`spec.service.name`, else the target's name), which the mesh splits by the
// route Flagger wrote. A Canary deleted: its users stop.
import type { KubeConfig } from '@kubernetes/client-node';
import { ObjectCache, serviceNames } from '@greenlight/core';
import { FLAGGER_API_VERSION, type Canary } from 'flagger-types';
import type { Users } from './users.ts';

export interface CanaryUsers {
  ready: Promise<void>;
  stop(): void;
}

export function followCanaries(
  kubeconfig: KubeConfig,
  users: Users,
  perSecond: number,
): CanaryUsers {
  const canaries = new ObjectCache<Canary>(kubeconfig, {
    apiVersion: FLAGGER_API_VERSION,
    kind: 'Canary',
  });
  const talking = new Map<string, { namespace: string; apex: string }>();
  const sync = () => {
    const now = new Map<string, { namespace: string; apex: string }>(
      canaries.list().map((canary) => {
        const namespace = canary.metadata.namespace ?? '';
        const { apex } = serviceNames(canary);
        return [`${namespace}/${apex}`, { namespace, apex }] as const;
      }),
    );
    for (const [key, { namespace, apex }] of talking)
      if (!now.has(key)) users.setRate(apex, 0, namespace);
    for (const [key, { namespace, apex }] of now)
      if (!talking.has(key)) users.setRate(apex, perSecond, namespace);
    talking.clear();
    for (const [key, value] of now) talking.set(key, value);
  };
  canaries.onChange(sync);
  return {
    ready: canaries.start().then(sync),
    stop() {
      canaries.stop();
      for (const { namespace, apex } of talking.values()) users.setRate(apex, 0, namespace);
    },
  };
}
