// The annotations that connect a catalog entity and a Canary: the entity names its Canary
// (`greenlight.dev/canary`), and the Canary names the one entity it belongs to
// (`greenlight.dev/owner`), written by the Canary's own deploy or chart.

/** `<namespace>/<name>` of the Canary that rolls this entity's chatbot out. */
export const CANARY_ANNOTATION = 'greenlight.dev/canary';
/** Which configured cluster (`greenlight.clusters[].name`) runs it; the first one by default. */
export const CLUSTER_ANNOTATION = 'greenlight.dev/cluster';
/** `<owner>/<repo>` on GitHub, the catalog's usual annotation: revisions link to commits. */
export const GITHUB_SLUG_ANNOTATION = 'github.com/project-slug';

/**
 * On the Canary: the entity ref of the catalog entity it belongs to, e.g.
 * `component:default/chatbot`. Any entity may name any Canary in `greenlight.dev/canary`;
 * its permissions apply only where the Canary's owner names it back.
 */
export const OWNER_ANNOTATION = 'greenlight.dev/owner';

export interface CanaryRef {
  namespace: string;
  name: string;
}

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The Canary an annotation value names, or undefined when it is not `<namespace>/<name>`. */
export function parseCanaryAnnotation(value: string | undefined): CanaryRef | undefined {
  const [namespace, name, ...rest] = (value ?? '').trim().split('/');
  if (rest.length > 0 || !namespace || !name) return undefined;
  if (!LABEL.test(namespace) || !LABEL.test(name)) return undefined;
  return { namespace, name };
}

const ENTITY_REF = /^([^:/\s]+):([^:/\s]+)\/([^:/\s]+)$/;

/**
 * The entity ref a Canary's owner annotation names, in the catalog's form (kind, namespace
 * and name compare case-insensitively, so lowercased), or undefined when it is absent or not
 * a full `<kind>:<namespace>/<name>` ref.
 */
export function parseOwnerAnnotation(value: string | undefined): string | undefined {
  const match = ENTITY_REF.exec((value ?? '').trim());
  return match ? match[0].toLocaleLowerCase('en-US') : undefined;
}
