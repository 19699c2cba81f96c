// The verbs on a resource: get, list, create, update (PUT), patch, delete. Each turns an
// HTTP request into one store call and the store's answer into the apiserver's response.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mediaType, readJsonBody, sendJson } from './http-io.ts';
import { isPlainObject, type KubeObject } from './meta.ts';
import { jsonPatch, mergePatch, type Json } from './patch.ts';
import type { ResourceInfo } from './resources.ts';
import {
  badRequest,
  methodNotAllowed,
  notFound,
  unsupportedMediaType,
  ApiError,
} from './api-errors.ts';
import { subjectOf, type ObjectStore, type TypeRef } from './store.ts';

export interface ResourceRequest {
  resource: ResourceInfo;
  apiVersion: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  query: URLSearchParams;
}

export async function handleResource(
  store: ObjectStore,
  req: IncomingMessage,
  res: ServerResponse,
  addressed: ResourceRequest,
): Promise<void> {
  const { resource, name } = addressed;
  const type: TypeRef = { apiVersion: addressed.apiVersion, kind: resource.kind };
  const method = req.method ?? 'GET';
  if (addressed.query.has('dryRun')) throw badRequest('dryRun is not supported by the sandbox API');
  // A namespaced resource addressed without a namespace can only be listed or watched.
  if (
    resource.namespaced &&
    addressed.namespace === undefined &&
    (name !== undefined || method !== 'GET')
  ) {
    throw methodNotAllowed(method);
  }
  const namespace = addressed.namespace;
  const subresource = addressed.subresource === 'status' ? ('status' as const) : undefined;
  const fieldManager = addressed.query.get('fieldManager') ?? undefined;

  if (name === undefined) {
    if (method === 'GET') return sendJson(res, 200, list(store, type, addressed));
    if (method === 'POST') {
      const body = identify(await readObject(req), resource, namespace, undefined);
      return sendJson(res, 201, store.create(type, body, { fieldManager }));
    }
    throw methodNotAllowed(method);
  }

  switch (method) {
    case 'GET': {
      const obj = store.get(type, namespace, name);
      if (!obj) throw notFound(subjectOf(resource, name));
      return sendJson(res, 200, obj);
    }
    case 'PUT': {
      const body = identify(await readObject(req), resource, namespace, name);
      return sendJson(res, 200, store.replace(type, body, { fieldManager, subresource }));
    }
    case 'PATCH':
      return patch(store, req, res, addressed, type, name, { fieldManager, subresource });
    case 'DELETE':
      return sendJson(res, 200, store.delete(type, namespace, name));
    default:
      throw methodNotAllowed(method);
  }
}

function list(store: ObjectStore, type: TypeRef, addressed: ResourceRequest): object {
  const { items, resourceVersion } = store.listWithVersion(type, {
    namespace: addressed.namespace,
    labelSelector: addressed.query.get('labelSelector') ?? undefined,
    fieldSelector: addressed.query.get('fieldSelector') ?? undefined,
  });
  return {
    kind: `${addressed.resource.kind}List`,
    apiVersion: addressed.apiVersion,
    metadata: { resourceVersion },
    // The real apiserver leaves apiVersion/kind off the items of built-in lists.
    items: addressed.resource.builtIn ? items.map(withoutTypeMeta) : items,
  };
}

async function patch(
  store: ObjectStore,
  req: IncomingMessage,
  res: ServerResponse,
  addressed: ResourceRequest,
  type: TypeRef,
  name: string,
  options: { fieldManager?: string; subresource?: 'status' },
): Promise<void> {
  const contentType = mediaType(req);
  const force = addressed.query.get('force');
  const { resource, namespace } = addressed;
  switch (contentType) {
    case 'application/apply-patch+yaml': {
      if (!options.fieldManager) {
        throw new ApiError(
          422,
          'Invalid',
          'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
        );
      }
      const config = identify(await readObject(req), resource, namespace, name);
      const existed = store.get(type, namespace, name) !== undefined;
      const result = store.apply(type, namespace, name, config, merge, options);
      return sendJson(res, existed ? 200 : 201, result);
    }
    // Strategic merge patch is treated as a JSON merge patch: the stand-in has no schema
    // with patch strategies, so lists are replaced rather than merged by key.
    case 'application/merge-patch+json':
    case 'application/strategic-merge-patch+json':
    case 'application/json-patch+json': {
      if (force !== null) {
        throw new ApiError(
          422,
          'Invalid',
          'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
        );
      }
      const body = (await readJsonBody(req)) as Json;
      const change =
        contentType === 'application/json-patch+json'
          ? (current: KubeObject) => applyJsonPatch(current, body)
          : (current: KubeObject) => {
              if (!isPlainObject(body)) throw badRequest('a merge patch must be a JSON object');
              return merge(current, body as KubeObject);
            };
      return sendJson(res, 200, store.patch(type, namespace, name, change, options));
    }
    default:
      throw unsupportedMediaType(contentType);
  }
}

function merge(current: KubeObject, patchBody: KubeObject): KubeObject {
  return mergePatch(
    current as unknown as Json,
    patchBody as unknown as Json,
  ) as unknown as KubeObject;
}

function applyJsonPatch(current: KubeObject, operations: Json): KubeObject {
  try {
    return jsonPatch(current as unknown as Json, operations) as unknown as KubeObject;
  } catch (err) {
    throw new ApiError(
      422,
      'Invalid',
      `the JSON patch could not be applied: ${(err as Error).message}`,
    );
  }
}

async function readObject(req: IncomingMessage): Promise<KubeObject> {
  const body = await readJsonBody(req);
  if (!isPlainObject(body)) throw badRequest('the request body must be a JSON object');
  return body as KubeObject;
}

/** The body's name and namespace must agree with the URL's; missing ones come from it. */
function identify(
  body: KubeObject,
  resource: ResourceInfo,
  namespace: string | undefined,
  name: string | undefined,
): KubeObject {
  const metadata = isPlainObject(body.metadata) ? { ...body.metadata } : {};
  if (resource.namespaced) {
    if (metadata.namespace && metadata.namespace !== namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    metadata.namespace = namespace;
  }
  if (name !== undefined) {
    if (metadata.name && metadata.name !== name) {
      throw badRequest(
        `the name of the object (${metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    metadata.name = name;
  }
  return { ...body, metadata };
}

function withoutTypeMeta(obj: KubeObject): KubeObject {
  const copy = { ...obj };
  delete copy.apiVersion;
  delete copy.kind;
  return copy;
}
