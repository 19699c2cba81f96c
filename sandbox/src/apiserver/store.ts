// The cluster's state: one table per resource, a global monotonically increasing
// resourceVersion (as etcd's revision is), and a bounded history of changes that watches
// replay from. Every method is synchronous, so a watch that replays history and then
// subscribes cannot miss a change in between. Objects handed in or out are copies.
import {
  deepEqual,
  generatedName,
  isPlainObject,
  newUid,
  timestamp,
  without,
  type KubeObject,
  type ManagedFieldsEntry,
} from './meta.ts';
import { findByKind, groupVersion, qualifiedName, type ResourceInfo } from './resources.ts';
import { parseFieldSelector, parseLabelSelector } from './selectors.ts';
import {
  alreadyExists,
  badRequest,
  conflict,
  invalid,
  notFound,
  success,
  type Status,
  type Subject,
} from './api-errors.ts';

export interface TypeRef {
  apiVersion: string;
  kind: string;
}

export type StoreEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: StoreEventType;
  resource: ResourceInfo;
  /** In storage form; `present()` turns it into the version a client asked for. */
  object: KubeObject;
  /** The object before a MODIFIED change, for label-selector transitions. */
  previous?: KubeObject;
  resourceVersion: number;
}

export interface WriteOptions {
  /** Recorded in metadata.managedFields, as the real apiserver does. */
  fieldManager?: string;
  subresource?: 'status';
}

export interface ListOptions {
  /** Omit for every namespace. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface ObjectList {
  items: KubeObject[];
  resourceVersion: string;
}

export class ObjectStore {
  readonly historyWindow: number;
  private readonly tables = new Map<ResourceInfo, Map<string, KubeObject>>();
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private revision = 0;
  /** The highest resourceVersion whose event has left the history window. */
  private compactedThrough = 0;

  constructor(options: { historyWindow?: number } = {}) {
    this.historyWindow = options.historyWindow ?? 1000;
  }

  /** The current global resourceVersion. */
  get resourceVersion(): string {
    return String(this.revision);
  }

  resolve(type: TypeRef): ResourceInfo {
    const resource = findByKind(type.apiVersion, type.kind);
    if (!resource) {
      throw badRequest(`the sandbox API does not serve ${type.apiVersion} ${type.kind}`);
    }
    return resource;
  }

  get<T extends KubeObject = KubeObject>(
    type: TypeRef,
    namespace: string | undefined,
    name: string,
  ): T | undefined {
    const resource = this.resolve(type);
    const stored = this.table(resource).get(key(resource, namespace, name));
    return stored ? (present(stored, type.apiVersion) as T) : undefined;
  }

  list<T extends KubeObject = KubeObject>(type: TypeRef, options: ListOptions = {}): T[] {
    return this.listWithVersion(type, options).items as T[];
  }

  listWithVersion(type: TypeRef, options: ListOptions = {}): ObjectList {
    const resource = this.resolve(type);
    const byLabel = parseLabelSelector(options.labelSelector ?? null);
    const byField = parseFieldSelector(options.fieldSelector ?? null);
    const items = [...this.table(resource).values()]
      .filter((o) => options.namespace === undefined || o.metadata.namespace === options.namespace)
      .filter((o) => byLabel(o) && byField(o))
      .sort(byNamespaceAndName)
      .map((o) => present(o, type.apiVersion));
    return { items, resourceVersion: this.resourceVersion };
  }

  create<T extends KubeObject = KubeObject>(
    type: TypeRef,
    object: KubeObject,
    options: WriteOptions = {},
  ): T {
    return this.insert(type, object, options, 'Update');
  }

  private insert<T extends KubeObject>(
    type: TypeRef,
    object: KubeObject,
    options: WriteOptions,
    operation: ManagedFieldsEntry['operation'],
  ): T {
    const resource = this.resolve(type);
    const obj = this.normalise(resource, type, object);
    const meta = obj.metadata;
    if (!meta.name && meta.generateName) meta.name = generatedName(meta.generateName);
    const subject = subjectOf(resource, meta.name ?? '');
    if (!meta.name) {
      throw invalid(subject, 'metadata.name: Required value: name or generateName is required');
    }
    const table = this.table(resource);
    const k = key(resource, meta.namespace, meta.name);
    if (table.has(k)) throw alreadyExists(subject);
    // Create never sets status where a /status subresource exists (the CRD and
    // Deployment strategies drop it), and server-managed fields are the server's.
    if (resource.status) delete obj.status;
    meta.uid = newUid();
    meta.creationTimestamp = timestamp();
    if (resource.generation) meta.generation = 1;
    else delete meta.generation;
    if (resource.kind === 'Namespace' && resource.group === '') obj.status = { phase: 'Active' };
    recordManager(obj, options, operation, type.apiVersion);
    meta.resourceVersion = String(++this.revision);
    table.set(k, obj);
    this.emit({ type: 'ADDED', resource, object: obj, resourceVersion: this.revision });
    return present(obj, type.apiVersion) as T;
  }

  /** PUT: replace the object (or only its status), honouring a resourceVersion precondition. */
  replace<T extends KubeObject = KubeObject>(
    type: TypeRef,
    object: KubeObject,
    options: WriteOptions = {},
  ): T {
    return this.update(type, object, options, 'Update');
  }

  /**
   * Change an existing object with `change(current)`, then store the result as `replace`
   * would. Patches (merge, JSON, strategic-as-merge) go through here.
   */
  patch<T extends KubeObject = KubeObject>(
    type: TypeRef,
    namespace: string | undefined,
    name: string,
    change: (current: KubeObject) => KubeObject,
    options: WriteOptions = {},
  ): T {
    const resource = this.resolve(type);
    const current = this.table(resource).get(key(resource, namespace, name));
    if (!current) throw notFound(subjectOf(resource, name));
    const next = change(present(current, type.apiVersion));
    return this.update(type, withIdentity(next, current), options, 'Update');
  }

  /**
   * Server-side apply, simplified: create the object if it is missing, otherwise merge the
   * applied configuration into it (RFC 7386 semantics, lists replaced whole). Real apply
   * also removes fields this manager applied before and no longer applies, and reports
   * conflicts with other managers; neither is modelled.
   */
  apply<T extends KubeObject = KubeObject>(
    type: TypeRef,
    namespace: string | undefined,
    name: string,
    config: KubeObject,
    merge: (current: KubeObject, config: KubeObject) => KubeObject,
    options: WriteOptions = {},
  ): T {
    const resource = this.resolve(type);
    const current = this.table(resource).get(key(resource, namespace, name));
    if (!current) {
      if (options.subresource) throw notFound(subjectOf(resource, name));
      return this.insert<T>(type, config, options, 'Apply');
    }
    const next = merge(present(current, type.apiVersion), config);
    return this.update(type, withIdentity(next, current), options, 'Apply');
  }

  delete(type: TypeRef, namespace: string | undefined, name: string): Status {
    const resource = this.resolve(type);
    const table = this.table(resource);
    const k = key(resource, namespace, name);
    const current = table.get(k);
    const subject = subjectOf(resource, name);
    if (!current) throw notFound(subject);
    table.delete(k);
    // The DELETED event carries the revision of the deletion, as etcd's watch does.
    const gone = structuredClone(current);
    gone.metadata.resourceVersion = String(++this.revision);
    this.emit({ type: 'DELETED', resource, object: gone, resourceVersion: this.revision });
    return success(subject, current.metadata.uid ?? '');
  }

  /** Create or replace without a precondition: a convenience for in-process controllers. */
  put<T extends KubeObject = KubeObject>(object: KubeObject, options: WriteOptions = {}): T {
    const type = typeOf(object);
    const resource = this.resolve(type);
    const existing = this.table(resource).get(
      key(resource, object.metadata?.namespace, object.metadata?.name ?? ''),
    );
    const unconditional: KubeObject = { ...object, metadata: { ...object.metadata } };
    delete unconditional.metadata.resourceVersion;
    if (!existing) {
      const created = this.create<T>(type, unconditional, options);
      if (!resource.status || unconditional.status === undefined) return created;
      return this.update(
        type,
        { ...created, status: unconditional.status },
        { ...options, subresource: 'status' },
        'Update',
      );
    }
    return this.update(type, unconditional, options, 'Update');
  }

  /** Replace only `.status`, as a controller writing /status does. */
  putStatus<T extends KubeObject = KubeObject>(object: KubeObject, options: WriteOptions = {}): T {
    const unconditional: KubeObject = { ...object, metadata: { ...object.metadata } };
    delete unconditional.metadata.resourceVersion;
    return this.update(
      typeOf(object),
      unconditional,
      { ...options, subresource: 'status' },
      'Update',
    );
  }

  /** Changes after `resourceVersion`, or undefined when some have left the window (410). */
  eventsSince(resourceVersion: number): StoreEvent[] | undefined {
    if (resourceVersion < this.compactedThrough) return undefined;
    return this.history.filter((e) => e.resourceVersion > resourceVersion);
  }

  /** The oldest resourceVersion a watch can still start from. */
  get oldestResourceVersion(): number {
    return this.compactedThrough;
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private update<T extends KubeObject>(
    type: TypeRef,
    object: KubeObject,
    options: WriteOptions,
    operation: ManagedFieldsEntry['operation'],
  ): T {
    const resource = this.resolve(type);
    const incoming = this.normalise(resource, type, object);
    const name = incoming.metadata.name ?? '';
    const subject = subjectOf(resource, name);
    const table = this.table(resource);
    const k = key(resource, incoming.metadata.namespace, name);
    const current = table.get(k);
    if (!current || (options.subresource === 'status' && !resource.status)) {
      throw notFound(subject);
    }
    const precondition = incoming.metadata.resourceVersion;
    if (precondition && precondition !== current.metadata.resourceVersion) throw conflict(subject);

    let next: KubeObject;
    if (options.subresource === 'status') {
      // A status write changes .status and nothing else.
      next = structuredClone(current);
      if (incoming.status === undefined) delete next.status;
      else next.status = incoming.status;
    } else {
      next = incoming;
      if (resource.status) {
        if (current.status === undefined) delete next.status;
        else next.status = structuredClone(current.status);
      }
      // Server-managed metadata cannot be changed by a client.
      next.metadata.uid = current.metadata.uid;
      next.metadata.creationTimestamp = current.metadata.creationTimestamp;
      next.metadata.managedFields = current.metadata.managedFields;
    }
    next.metadata.resourceVersion = current.metadata.resourceVersion;
    if (resource.generation) {
      // generation counts spec changes: everything but metadata, and status where
      // status has its own subresource.
      const ignored = resource.status ? ['metadata', 'status'] : ['metadata'];
      const changed = !deepEqual(without(current, ...ignored), without(next, ...ignored));
      next.metadata.generation = (current.metadata.generation ?? 1) + (changed ? 1 : 0);
    } else {
      delete next.metadata.generation;
    }
    // A write that changes nothing is a no-op: same resourceVersion, no watch event.
    if (deepEqual(stripManaged(current), stripManaged(next))) {
      return present(current, type.apiVersion) as T;
    }
    recordManager(next, options, operation, type.apiVersion);
    next.metadata.resourceVersion = String(++this.revision);
    table.set(k, next);
    this.emit({
      type: 'MODIFIED',
      resource,
      object: next,
      previous: current,
      resourceVersion: this.revision,
    });
    return present(next, type.apiVersion) as T;
  }

  /** A copy in storage form: storage apiVersion, the resource's kind, a namespace. */
  private normalise(resource: ResourceInfo, type: TypeRef, object: KubeObject): KubeObject {
    if (!isPlainObject(object)) throw badRequest('the request body must be a JSON object');
    if (object.kind !== undefined && object.kind !== resource.kind) {
      throw badRequest(
        `the kind in the data (${String(object.kind)}) does not match the expected kind (${resource.kind})`,
      );
    }
    if (object.apiVersion !== undefined && object.apiVersion !== type.apiVersion) {
      throw badRequest(
        `the API version in the data (${String(object.apiVersion)}) does not match the expected API version (${type.apiVersion})`,
      );
    }
    const obj = structuredClone(object);
    obj.metadata = isPlainObject(obj.metadata) ? obj.metadata : {};
    obj.apiVersion = storageVersion(resource);
    obj.kind = resource.kind;
    if (resource.namespaced) obj.metadata.namespace = obj.metadata.namespace || 'default';
    else delete obj.metadata.namespace;
    return obj;
  }

  private table(resource: ResourceInfo): Map<string, KubeObject> {
    let table = this.tables.get(resource);
    if (!table) {
      table = new Map();
      this.tables.set(resource, table);
    }
    return table;
  }

  private emit(event: StoreEvent): void {
    this.history.push(event);
    while (this.history.length > this.historyWindow) {
      const dropped = this.history.shift();
      if (dropped) this.compactedThrough = dropped.resourceVersion;
    }
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A watcher that fails must not fail the write that woke it.
      }
    }
  }
}

/** A copy of a stored object as served in `apiVersion` (conversion strategy None). */
export function present(stored: KubeObject, apiVersion: string): KubeObject {
  const copy = structuredClone(stored);
  return Object.assign({ apiVersion, kind: stored.kind, metadata: copy.metadata }, copy, {
    apiVersion,
  });
}

export function subjectOf(resource: ResourceInfo, name: string): Subject {
  return {
    qualified: qualifiedName(resource),
    group: resource.group,
    plural: resource.plural,
    name,
  };
}

function storageVersion(resource: ResourceInfo): string {
  return groupVersion(resource, resource.versions[0] as string);
}

function key(resource: ResourceInfo, namespace: string | undefined, name: string): string {
  return resource.namespaced ? `${namespace || 'default'}/${name}` : name;
}

function typeOf(object: KubeObject): TypeRef {
  if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') {
    throw badRequest('the object needs apiVersion and kind');
  }
  return { apiVersion: object.apiVersion, kind: object.kind };
}

/** The patched object keeps the identity of the one it patched. */
function withIdentity(next: KubeObject, current: KubeObject): KubeObject {
  const metadata = isPlainObject(next.metadata) ? next.metadata : {};
  return {
    ...next,
    apiVersion: undefined,
    kind: undefined,
    metadata: { ...metadata, name: current.metadata.name, namespace: current.metadata.namespace },
  };
}

function stripManaged(obj: KubeObject): KubeObject {
  const metadata = { ...obj.metadata };
  delete metadata.managedFields;
  delete metadata.resourceVersion;
  return { ...obj, metadata };
}

function recordManager(
  obj: KubeObject,
  options: WriteOptions,
  operation: ManagedFieldsEntry['operation'],
  apiVersion: string,
): void {
  if (!options.fieldManager) return;
  const entries = (obj.metadata.managedFields ?? []).filter(
    (e) =>
      !(
        e.manager === options.fieldManager &&
        e.operation === operation &&
        e.subresource === options.subresource
      ),
  );
  entries.push({
    manager: options.fieldManager,
    operation,
    apiVersion,
    time: timestamp(),
    fieldsType: 'FieldsV1',
    ...(options.subresource ? { subresource: options.subresource } : {}),
  });
  obj.metadata.managedFields = entries;
}

function byNamespaceAndName(a: KubeObject, b: KubeObject): number {
  const an = `${a.metadata.namespace ?? ''}/${a.metadata.name ?? ''}`;
  const bn = `${b.metadata.namespace ?? ''}/${b.metadata.name ?? ''}`;
  return an < bn ? -1 : an > bn ? 1 : 0;
}
