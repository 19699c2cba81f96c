// Maps a request path to what it addresses, following the apiserver's URL layout:
// /api/v1/[namespaces/<ns>/]<plural>[/<name>[/<subresource>]] for the core group and
// /apis/<group>/<version>/... for the others.
import { findByPlural, groupVersion, type ResourceInfo } from './resources.ts';

export type RequestPath =
  | {
      type: 'discovery';
      document: 'core' | 'groups' | 'group' | 'resources' | 'version';
      group: string;
      version: string;
    }
  | { type: 'health' }
  | { type: 'selfsubjectreview' }
  | {
      type: 'resource';
      resource: ResourceInfo;
      /** The apiVersion the client addressed; responses are served in it. */
      apiVersion: string;
      /** Undefined for a cross-namespace list or a cluster-scoped resource. */
      namespace?: string;
      name?: string;
      subresource?: string;
    };

export function parseRequestPath(pathname: string): RequestPath | undefined {
  const segments = pathname
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeURIComponent(s));
  const [root, ...rest] = segments;
  if (root === 'healthz' || root === 'readyz' || root === 'livez') return { type: 'health' };
  if (root === 'version' && rest.length === 0) return discovery('version', '', '');
  if (root === 'api') {
    if (rest.length === 0) return discovery('core', '', '');
    const [version, ...tail] = rest;
    if (version !== 'v1') return undefined;
    if (tail.length === 0) return discovery('resources', '', version);
    return resourcePath('', version, tail);
  }
  if (root === 'apis') {
    if (rest.length === 0) return discovery('groups', '', '');
    const [group, version, ...tail] = rest as [string, string | undefined, ...string[]];
    if (
      group === 'authentication.k8s.io' &&
      version === 'v1' &&
      tail.join('/') === 'selfsubjectreviews'
    ) {
      return { type: 'selfsubjectreview' };
    }
    if (version === undefined) return discovery('group', group, '');
    if (tail.length === 0) return discovery('resources', group, version);
    return resourcePath(group, version, tail);
  }
  return undefined;
}

function discovery(
  document: 'core' | 'groups' | 'group' | 'resources' | 'version',
  group: string,
  version: string,
): RequestPath {
  return { type: 'discovery', document, group, version };
}

function resourcePath(group: string, version: string, tail: string[]): RequestPath | undefined {
  let namespace: string | undefined;
  let rest = tail;
  // `namespaces/<ns>/<plural>...` is a namespaced path unless it addresses the Namespace
  // object itself (`namespaces/<ns>` or `namespaces/<ns>/status`).
  if (
    tail[0] === 'namespaces' &&
    tail.length >= 3 &&
    findByPlural(group, version, tail[2] as string)
  ) {
    namespace = tail[1];
    rest = tail.slice(2);
  }
  const [plural, name, subresource, ...extra] = rest;
  if (plural === undefined || extra.length > 0) return undefined;
  const resource = findByPlural(group, version, plural);
  if (!resource) return undefined;
  if (namespace !== undefined && !resource.namespaced) return undefined;
  if (subresource !== undefined && !(subresource === 'status' && resource.status)) return undefined;
  return {
    type: 'resource',
    resource,
    apiVersion: groupVersion(resource, version),
    ...(namespace !== undefined ? { namespace } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
  };
}
