// Every version of every Canary and Deployment the API stand-in stored, by resourceVersion:
// proof that a state the gate acted on really existed in the cluster, and was not made up
// by a cache that mixed two versions.
import type { ApiServer } from '@greenlight/sandbox';

export interface ObjectHistory {
  /** The stored object at that resourceVersion, as JSON, or undefined if there was none. */
  at(kind: string, namespace: string, name: string, resourceVersion: string): string | undefined;
  /** The newest version stored (as Flagger, which wrote the status, knows it). */
  latest(kind: string, namespace: string, name: string): unknown;
  stop(): void;
}

/** Start before creating any object, so every version is seen. */
export function recordHistory(api: ApiServer): ObjectHistory {
  const versions = new Map<string, string>();
  const newest = new Map<string, unknown>();
  const stop = api.store.subscribe((event) => {
    const { kind } = event.resource;
    if (kind !== 'Canary' && kind !== 'Deployment') return;
    const { namespace, name, resourceVersion } = event.object.metadata;
    if (event.type === 'DELETED') return void newest.delete(`${kind}/${namespace}/${name}`);
    versions.set(`${kind}/${namespace}/${name}@${resourceVersion}`, relevant(kind, event.object));
    newest.set(`${kind}/${namespace}/${name}`, event.object);
  });
  return {
    at: (kind, namespace, name, rv) => versions.get(`${kind}/${namespace}/${name}@${rv}`),
    latest: (kind, namespace, name) => newest.get(`${kind}/${namespace}/${name}`),
    stop,
  };
}

/**
 * The parts of an object a gate decision rests on, as JSON: a Canary's annotations, target
 * and the status fields that say which analysis runs (phase, Promoted condition, the
 * checksummed lastAppliedSpec and trackedConfigs); a Deployment's pod template annotations.
 */
export function relevant(kind: string, object: unknown): string {
  const o = object as {
    metadata?: { annotations?: Record<string, string> };
    spec?: { targetRef?: { name?: string }; template?: { metadata?: { annotations?: object } } };
    status?: {
      phase?: string;
      lastAppliedSpec?: string;
      trackedConfigs?: object;
      conditions?: { type?: string; status?: string; lastTransitionTime?: string }[];
    };
  };
  const promoted = o.status?.conditions?.find((condition) => condition.type === 'Promoted');
  return kind === 'Canary'
    ? JSON.stringify([
        o.metadata?.annotations ?? {},
        o.spec?.targetRef?.name,
        o.status?.phase,
        o.status?.lastAppliedSpec,
        o.status?.trackedConfigs,
        promoted?.status,
        promoted?.lastTransitionTime,
      ])
    : JSON.stringify(o.spec?.template?.metadata?.annotations ?? {});
}
