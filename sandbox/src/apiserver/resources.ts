// The kinds the stand-in serves, with the facts discovery reports about them. Names, scopes,
// versions and subresources follow the real definitions: core/v1 and apps/v1 from
// Kubernetes, and the CRDs Greenlight meets in a cluster (Flagger v1.44 `artifacts/flagger/
// crd.yaml`, linkerd-smi's TrafficSplit CRD, Gateway API v1.5.1's HTTPRoute CRD).

export interface ResourceInfo {
  /** '' for the core group. */
  group: string;
  /** Served versions; objects are stored once and served in whichever one is asked for. */
  versions: string[];
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  /** A `/status` subresource: status writes change only `.status`, other writes never do. */
  status: boolean;
  /** Whether `metadata.generation` is kept (Deployments and custom resources). */
  generation: boolean;
  /** Built-in kinds omit apiVersion/kind on list items, custom resources keep them. */
  builtIn: boolean;
}

export const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

export const RESOURCES: readonly ResourceInfo[] = [
  core('Namespace', 'namespaces', { namespaced: false, status: true, shortNames: ['ns'] }),
  core('Service', 'services', { status: true, shortNames: ['svc'] }),
  core('Event', 'events', { shortNames: ['ev'] }),
  core('ConfigMap', 'configmaps', { shortNames: ['cm'] }),
  core('Secret', 'secrets', {}),
  {
    group: 'apps',
    versions: ['v1'],
    kind: 'Deployment',
    plural: 'deployments',
    singular: 'deployment',
    namespaced: true,
    shortNames: ['deploy'],
    status: true,
    generation: true,
    builtIn: true,
  },
  // What Kubernetes' Deployment controller makes per pod template (none is made here; the
  // e2e tier's kubelet shim writes them as the controller would).
  {
    group: 'apps',
    versions: ['v1'],
    kind: 'ReplicaSet',
    plural: 'replicasets',
    singular: 'replicaset',
    namespaced: true,
    shortNames: ['rs'],
    status: true,
    generation: true,
    builtIn: true,
  },
  custom('flagger.app', ['v1beta1'], 'Canary', 'canaries', {
    status: true,
    shortNames: ['canary'],
  }),
  custom('flagger.app', ['v1beta1'], 'MetricTemplate', 'metrictemplates', { status: true }),
  custom('flagger.app', ['v1beta1'], 'AlertProvider', 'alertproviders', { status: true }),
  // linkerd-smi serves v1alpha1 (storage) and v1alpha2 with conversion strategy None.
  custom('split.smi-spec.io', ['v1alpha1', 'v1alpha2'], 'TrafficSplit', 'trafficsplits', {
    status: false,
    shortNames: ['ts'],
  }),
  // Gateway API v1.5.1 standard channel: v1 (storage) and v1beta1, both with /status.
  custom('gateway.networking.k8s.io', ['v1', 'v1beta1'], 'HTTPRoute', 'httproutes', {
    status: true,
  }),
];

function core(
  kind: string,
  plural: string,
  opts: { namespaced?: boolean; status?: boolean; shortNames?: string[] },
): ResourceInfo {
  return {
    group: '',
    versions: ['v1'],
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced: opts.namespaced ?? true,
    shortNames: opts.shortNames,
    status: opts.status ?? false,
    generation: false,
    builtIn: true,
  };
}

function custom(
  group: string,
  versions: string[],
  kind: string,
  plural: string,
  opts: { status: boolean; shortNames?: string[] },
): ResourceInfo {
  return {
    group,
    versions,
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced: true,
    shortNames: opts.shortNames,
    status: opts.status,
    // Custom resources always carry metadata.generation (apiextensions-apiserver).
    generation: true,
    builtIn: false,
  };
}

export function groupVersion(info: ResourceInfo, version: string): string {
  return info.group ? `${info.group}/${version}` : version;
}

/** `canaries.flagger.app`, `deployments.apps`, `services`: how the API names a resource. */
export function qualifiedName(info: ResourceInfo): string {
  return info.group ? `${info.plural}.${info.group}` : info.plural;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function findByPlural(
  group: string,
  version: string,
  plural: string,
): ResourceInfo | undefined {
  return RESOURCES.find(
    (r) => r.group === group && r.plural === plural && r.versions.includes(version),
  );
}

export function findByKind(apiVersion: string, kind: string): ResourceInfo | undefined {
  const { group, version } = splitApiVersion(apiVersion);
  return RESOURCES.find(
    (r) => r.group === group && r.kind === kind && r.versions.includes(version),
  );
}
