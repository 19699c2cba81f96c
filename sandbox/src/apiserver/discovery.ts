// Discovery documents. client-node's KubernetesObjectApi reads `/api/v1` and
// `/apis/<group>/<version>` to map a kind to its plural and scope before every first use.
import { RESOURCES, VERBS, type ResourceInfo } from './resources.ts';

export function coreVersions(serverAddress: string): object {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

export function groupList(): object {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groupNames().map(group) };
}

/** `/apis/<group>`, or undefined when the group is not served. */
export function group(name: string): object | undefined {
  const versions = sortByPriority([
    ...new Set(RESOURCES.filter((r) => r.group === name).flatMap((r) => r.versions)),
  ]);
  const preferred = versions[0];
  if (!name || !preferred) return undefined;
  const entry = (v: string) => ({ groupVersion: `${name}/${v}`, version: v });
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name,
    versions: versions.map(entry),
    preferredVersion: entry(preferred),
  };
}

/** `/api/v1` or `/apis/<group>/<version>`, or undefined when not served. */
export function resourceList(groupName: string, version: string): object | undefined {
  const served = RESOURCES.filter((r) => r.group === groupName && r.versions.includes(version));
  if (served.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupName ? `${groupName}/${version}` : version,
    resources: served.flatMap(describe),
  };
}

export function versionInfo(): object {
  return {
    major: '1',
    minor: '33',
    gitVersion: 'v1.33.0-greenlight-sandbox',
    platform: `${process.platform}/${process.arch}`,
  };
}

function describe(r: ResourceInfo): object[] {
  const main = {
    name: r.plural,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: VERBS,
    ...(r.shortNames ? { shortNames: r.shortNames } : {}),
  };
  if (!r.status) return [main];
  return [
    main,
    {
      name: `${r.plural}/status`,
      singularName: '',
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: ['get', 'patch', 'update'],
    },
  ];
}

function groupNames(): string[] {
  return [...new Set(RESOURCES.map((r) => r.group).filter((g) => g !== ''))];
}

/** Kubernetes version priority: GA before beta before alpha, higher numbers first. */
export function sortByPriority(versions: string[]): string[] {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [3, 0, 0];
    const stability = m[2] === undefined ? 0 : m[2] === 'beta' ? 1 : 2;
    return [stability, -Number(m[1]), -Number(m[3] ?? 0)];
  };
  return [...versions].sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  });
}
