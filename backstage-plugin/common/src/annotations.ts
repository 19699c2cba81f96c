// The catalog annotations that connect an entity to its rollout.

/** `<namespace>/<name>` of the Canary that rolls this entity's chatbot out. */
export const CANARY_ANNOTATION = 'greenlight.dev/canary';
/** Which configured cluster (`greenlight.clusters[].name`) runs it; the first one by default. */
export const CLUSTER_ANNOTATION = 'greenlight.dev/cluster';
/** `<owner>/<repo>` on GitHub, the catalog's usual annotation: revisions link to commits. */
export const GITHUB_SLUG_ANNOTATION = 'github.com/project-slug';

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
