// The KubeClient seam on @kubernetes/client-node's generic object API.
import {
  ApiException,
  AuthenticationV1Api,
  CoreV1Api,
  PatchStrategy,
  type KubeConfig,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { buildEvent } from './event.ts';
import { kubeError, type KubeErrorSubject } from './errors.ts';
import { RawObjectApi } from './object-api.ts';
import type { EventInput, Identity, KubeClient, ObjectRef, ObjectType } from './types.ts';

/** The field manager Greenlight's writes are recorded under (metadata.managedFields). */
export const FIELD_MANAGER = 'greenlight';

export function createKubeClient(kc: KubeConfig): KubeClient {
  const api = RawObjectApi.create(kc);
  // Events go through the typed core client: core/v1 needs no discovery request first.
  const core = kc.makeApiClient(CoreV1Api);
  const authentication = kc.makeApiClient(AuthenticationV1Api);

  return {
    async get<T extends KubernetesObject>(ref: ObjectRef): Promise<T | undefined> {
      await servedKind(api, 'read', ref);
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
    },

    async list<T extends KubernetesObject>(type: ObjectType, namespace?: string): Promise<T[]> {
      await servedKind(api, 'list', { ...type, namespace });
      try {
        const list = await api.list<T>(type.apiVersion, type.kind, namespace);
        // Items of built-in lists come without apiVersion/kind; give every item its type.
        return list.items.map((item) => ({
          ...item,
          apiVersion: type.apiVersion,
          kind: type.kind,
        }));
      } catch (err) {
        throw kubeError('list', { kind: type.kind, namespace }, err);
      }
    },

    async apply<T extends KubernetesObject>(object: T): Promise<T> {
      await servedKind(api, 'apply', { ...subjectOf(object), apiVersion: object.apiVersion });
      try {
        return await api.patch<T>(
          object,
          undefined,
          undefined,
          FIELD_MANAGER,
          true,
          PatchStrategy.ServerSideApply,
        );
      } catch (err) {
        throw kubeError('apply', subjectOf(object), err);
      }
    },

    async create<T extends KubernetesObject>(object: T): Promise<T | undefined> {
      await servedKind(api, 'create', { ...subjectOf(object), apiVersion: object.apiVersion });
      try {
        return await api.create<T>(object, undefined, undefined, FIELD_MANAGER);
      } catch (err) {
        if (err instanceof ApiException && err.code === 409) return undefined;
        throw kubeError('create', subjectOf(object), err);
      }
    },

    async mergePatch<T extends KubernetesObject>(ref: ObjectRef, patch: object): Promise<T> {
      // client-node addresses the object from the body, so the patch carries its identity;
      // those fields equal the stored ones, so merging them changes nothing.
      const patchMetadata = (patch as { metadata?: object }).metadata ?? {};
      const body = {
        ...patch,
        apiVersion: ref.apiVersion,
        kind: ref.kind,
        metadata: { ...patchMetadata, name: ref.name, namespace: ref.namespace },
      } as KubernetesObject as T;
      await servedKind(api, 'patch', ref);
      try {
        return await api.patch<T>(
          body,
          undefined,
          undefined,
          FIELD_MANAGER,
          undefined,
          PatchStrategy.MergePatch,
        );
      } catch (err) {
        throw kubeError('patch', ref, err);
      }
    },

    async recordEvent(involved: KubernetesObject, input: EventInput): Promise<void> {
      const event = buildEvent(involved, input);
      try {
        await core.createNamespacedEvent({
          namespace: event.metadata.namespace as string,
          body: event,
          fieldManager: FIELD_MANAGER,
        });
      } catch (err) {
        // A keyed Event already there is this one, recorded by an attempt whose answer was lost.
        if (input.key && err instanceof ApiException && err.code === 409) return;
        throw kubeError(`record event ${input.reason} on`, subjectOf(involved), err);
      }
    },

    async whoAmI(): Promise<Identity> {
      try {
        const review = await authentication.createSelfSubjectReview({
          body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
        });
        const user = review.status?.userInfo;
        if (!user?.username) throw new Error('the API server answered without a username');
        return { username: user.username, groups: user.groups ?? [] };
      } catch (err) {
        throw kubeError('create', { kind: 'SelfSubjectReview' }, err);
      }
    },
  };
}

function subjectOf(object: KubernetesObject): KubeErrorSubject {
  return {
    kind: object.kind ?? 'object',
    namespace: object.metadata?.namespace,
    name: object.metadata?.name,
  };
}

/**
 * Look the kind up in discovery first (client-node caches the answer), so that a 404 from
 * a later read means "no such object" and never "no such API group".
 */
async function servedKind(
  api: RawObjectApi,
  verb: string,
  type: KubeErrorSubject & { apiVersion?: string },
): Promise<void> {
  try {
    await api.collectionPath(type.apiVersion ?? 'v1', type.kind, type.namespace);
  } catch (err) {
    throw kubeError(verb, type, explainUnknownKind(err, type));
  }
}

/**
 * client-node throws a bare "Unrecognized API version and kind" when a group's discovery
 * document lacks the kind, and a 404 when the group/version is not served at all.
 */
function explainUnknownKind(err: unknown, type: { apiVersion?: string; kind?: string }): unknown {
  const unrecognised =
    (err instanceof Error && err.message.startsWith('Unrecognized API version and kind')) ||
    (err instanceof ApiException && err.code === 404);
  if (unrecognised) {
    return new Error(
      `the cluster does not serve ${type.apiVersion} ${type.kind}; is its CustomResourceDefinition installed?`,
    );
  }
  return err;
}
