// Single reads for a follower that learns most of what it needs from a watch and reads the
// rest only when it must: one request per read, since the kinds of known-kinds.ts are
// addressed without discovery.
import { ApiException, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { kubeError } from './errors.ts';
import { RawObjectApi } from './object-api.ts';
import type { ObjectRef } from './types.ts';

export type ObjectReader = <T extends KubernetesObject>(ref: ObjectRef) => Promise<T | undefined>;

/** A reader; it answers undefined for an object that does not exist (404). */
export function createObjectReader(kc: KubeConfig): ObjectReader {
  const api = RawObjectApi.create(kc, { knownKinds: true });
  return async <T extends KubernetesObject>(ref: ObjectRef): Promise<T | undefined> => {
    try {
      return await api.read<T>({
        apiVersion: ref.apiVersion,
        kind: ref.kind,
        metadata: { name: ref.name, namespace: ref.namespace },
      });
    } catch (err) {
      if (err instanceof ApiException && err.code === 404) return undefined;
      throw kubeError('read', ref, err);
    }
  };
}
