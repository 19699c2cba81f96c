// Every version of every Canary and Deployment the API stand-in stored, by resourceVersion:
// proof that a state the gate acted on really existed in the cluster, and was not made up
// by a cache that mixed two versions.
import type { ApiServer } from '@greenlight/sandbox';

export interface ObjectHistory {
  /** The stored object at that resourceVersion, as JSON, or undefined if there was none. */
  at(kind: string, namespace: string, name: string, resourceVersion: string): string | undefined;
  stop(): void;
}

/** Start before creating any object, so every version is seen. */
export function recordHistory(api: ApiServer): ObjectHistory {
  const versions = new Map<string, string>();
  const stop = api.store.subscribe((event) => {
    if (event.type === 'DELETED') return;
    const { kind } = event.resource;
    if (kind !== 'Canary' && kind !== 'Deployment') return;
    const { namespace, name, resourceVersion } = event.object.metadata;
    versions.set(`${kind}/${namespace}/${name}@${resourceVersion}`, relevant(kind, event.object));
  });
  return {
    at: (kind, namespace, name, rv) => versions.get(`${kind}/${namespace}/${name}@${rv}`),
    stop,
  };
}

/** The parts of an object a gate decision rests on, as JSON. */
export function relevant(kind: string, object: unknown): string {
  const o = object as {
    metadata?: { annotations?: Record<string, string> };
    spec?: { targetRef?: { name?: string }; template?: { metadata?: { annotations?: object } } };
  };
  return kind === 'Canary'
    ? JSON.stringify([o.metadata?.annotations ?? {}, o.spec?.targetRef?.name])
    : JSON.stringify(o.spec?.template?.metadata?.annotations ?? {});
}
