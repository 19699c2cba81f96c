import type { Canary, CanaryPhase } from 'flagger-types';

// Small pieces the scheduler's steps share.

/** `<name>.<namespace>`, the way Flagger names objects in its messages. */
export function dotted(name: string, namespace: string | undefined): string {
  return `${name}.${namespace ?? ''}`;
}

/** The Canary as an Event should describe it: Flagger records some Events with the phase to come. */
export function withPhase(cd: Canary, phase: CanaryPhase): Canary {
  return { ...cd, status: { ...cd.status, phase } };
}

/** Flagger's Event before it copies the target's pod template to the primary. */
export function copyingMessage(cd: Canary): string {
  const target = cd.spec.targetRef.name;
  const namespace = cd.metadata.namespace;
  return `Copying ${dotted(target, namespace)} template spec to ${target}-primary.${namespace}`;
}
