// What applying a rendered object would change in the cluster, as a YAML line diff. Only
// the fields Greenlight writes are compared: the whole `spec` (Flagger writes a Canary's
// status, never its spec) and the labels and annotations Greenlight renders. Everything
// else on the live object — status, resourceVersion, managedFields, the approval
// annotations of core's protocol — belongs to someone else and would not change.
import type { KubernetesObject } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { lineDiff, type DiffLine } from './line-diff.ts';

export type ManifestChange = 'create' | 'update' | 'unchanged';

export interface ManifestDiff {
  kind: string;
  namespace: string;
  name: string;
  change: ManifestChange;
  /** The YAML diff; empty when unchanged. */
  lines: DiffLine[];
}

type Manifest = KubernetesObject & { spec?: unknown };

export function diffManifest(rendered: Manifest, live: Manifest | undefined): ManifestDiff {
  const id = {
    kind: rendered.kind ?? '',
    namespace: rendered.metadata?.namespace ?? '',
    name: rendered.metadata?.name ?? '',
  };
  const after = yamlLines(managedFields(rendered, rendered));
  if (!live) return { ...id, change: 'create', lines: after.map((text) => ({ op: '+', text })) };
  const before = yamlLines(managedFields(live, rendered));
  const lines = lineDiff(before, after);
  const changed = lines.some((line) => line.op !== ' ');
  return { ...id, change: changed ? 'update' : 'unchanged', lines: changed ? lines : [] };
}

/** The part of `object` that applying `rendered` would set. */
function managedFields(object: Manifest, rendered: Manifest): Manifest {
  const pick = (from: Record<string, string> | undefined, keys: Record<string, string> = {}) =>
    Object.fromEntries(
      Object.keys(keys).flatMap((key) => (from?.[key] === undefined ? [] : [[key, from[key]]])),
    );
  const metadata = rendered.metadata ?? {};
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: {
      name: object.metadata?.name,
      namespace: object.metadata?.namespace,
      ...(metadata.labels ? { labels: pick(object.metadata?.labels, metadata.labels) } : {}),
      ...(metadata.annotations
        ? { annotations: pick(object.metadata?.annotations, metadata.annotations) }
        : {}),
    },
    ...(object.spec === undefined ? {} : { spec: object.spec }),
  };
}

function yamlLines(object: Manifest): string[] {
  // Sorted keys: the API server may return fields in another order than they were sent.
  return stringify(object, { sortMapEntries: true, lineWidth: 0 }).trimEnd().split('\n');
}
