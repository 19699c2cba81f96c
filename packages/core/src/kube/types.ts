import type { KubernetesObject } from '@kubernetes/client-node';

/** Names one object in the cluster. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

/** A kind of object, for list and watch. */
export interface ObjectType {
  apiVersion: string;
  kind: string;
}

export interface EventInput {
  type: 'Normal' | 'Warning';
  /** CamelCase, e.g. `PromotionApproved`. */
  reason: string;
  message: string;
  /** Who wrote it, shown as the event's source/reportingController. */
  component?: string;
  /**
   * Makes recording idempotent: the Event's name is derived from it, so a retry after a lost
   * answer finds the Event already there (409 AlreadyExists, taken as done) instead of
   * recording it twice. Without it each call records a new Event.
   */
  key?: string;
}

/**
 * The few Kubernetes operations Greenlight needs. Implemented on @kubernetes/client-node
 * by `kube/client.ts`; everything above this layer depends on this interface only.
 */
export interface KubeClient {
  /** The object, or undefined when it does not exist (404). */
  get<T extends KubernetesObject>(ref: ObjectRef): Promise<T | undefined>;
  list<T extends KubernetesObject>(type: ObjectType, namespace?: string): Promise<T[]>;
  /** Server-side apply with field manager `greenlight` (force: Greenlight owns these fields). */
  apply<T extends KubernetesObject>(object: T): Promise<T>;
  /**
   * Create, never overwrite (needs only RBAC `create`); undefined when an object of that
   * name already exists (409 AlreadyExists), so a retry after a lost answer is harmless.
   */
  create<T extends KubernetesObject>(object: T): Promise<T | undefined>;
  /** JSON merge patch (RFC 7386). */
  mergePatch<T extends KubernetesObject>(ref: ObjectRef, patch: object): Promise<T>;
  /** Record a core/v1 Event about `involved`. */
  recordEvent(involved: KubernetesObject, event: EventInput): Promise<void>;
  /** Who the API server authenticated this client as (SelfSubjectReview). */
  whoAmI(): Promise<Identity>;
}

/** A user as the API server authenticated it (authentication.k8s.io/v1 UserInfo). */
export interface Identity {
  username: string;
  groups: string[];
}
