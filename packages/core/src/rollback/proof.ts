import type { V1Deployment, V1PodSpec, V1ReplicaSet } from '@kubernetes/client-node';
import { canonicalJson } from '../approval/template.ts';
import type { KubeClient } from '../kube/types.ts';
import { REVISION_ANNOTATION } from '../revision.ts';
import type { PromotedRevision } from './history.ts';

// The promoted-history is written by the deploy credential, so an entry proves nothing by
// itself: anyone who may deploy could record an image nobody approved under an old revision's
// name. Nor is the rest of the target's pod template theirs to vouch for: a rollback brings
// back only the images, so a sidecar, a command or a ServiceAccount the deploy put on the
// target would come along. Skipping the analysis trusts both, so it needs proof the deploy
// credential cannot forge: a ReplicaSet that Kubernetes' Deployment controller made for
// `<name>-primary` (whose pod template only Flagger and approvers may write, the
// keep-primary policy) with that revision, those images and the pod spec the target would
// run. The deploy Role grants nothing on ReplicaSets.

/** What the primary's ReplicaSets say of `entry` with pod spec `wouldRun`. */
export type Proof = 'ran' | 'never-ran' | { differs: string[] };

export async function primaryRan(
  kube: KubeClient,
  primary: V1Deployment | undefined,
  entry: PromotedRevision,
  wouldRun: V1PodSpec | undefined,
): Promise<Proof> {
  const uid = primary?.metadata?.uid;
  if (!uid) return 'never-ran';
  const sets = await kube.list<V1ReplicaSet>(
    { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
    primary.metadata?.namespace,
  );
  const ran = sets.filter((set) => controlledBy(set, uid) && runs(set, entry));
  if (ran.length === 0) return 'never-ran';
  let fewest: string[] | undefined;
  for (const set of ran) {
    const differs = differingFields(set.spec?.template?.spec, wouldRun);
    if (differs.length === 0) return 'ran';
    if (!fewest || differs.length < fewest.length) fewest = differs;
  }
  return { differs: fewest ?? [] };
}

function controlledBy(set: V1ReplicaSet, uid: string): boolean {
  return (set.metadata?.ownerReferences ?? []).some(
    (r) => r.kind === 'Deployment' && r.controller === true && r.uid === uid,
  );
}

function runs(set: V1ReplicaSet, entry: PromotedRevision): boolean {
  const template = set.spec?.template;
  if (template?.metadata?.annotations?.[REVISION_ANNOTATION] !== entry.revision) return false;
  const containers = (template.spec?.containers ?? []).filter((c) => c.image);
  const names = Object.keys(entry.images);
  return (
    containers.length === names.length && containers.every((c) => entry.images[c.name] === c.image)
  );
}

/** The pod spec fields (spec.<key>) that differ, Flagger's `-primary` config copies aside. */
function differingFields(ran: V1PodSpec | undefined, wouldRun: V1PodSpec | undefined): string[] {
  const a = (unprimed(ran) ?? {}) as Record<string, unknown>;
  const b = (unprimed(wouldRun) ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.filter((key) => canonicalJson(a[key]) !== canonicalJson(b[key]));
}

// Flagger's promotion points the primary at `<name>-primary` copies of the ConfigMaps and
// Secrets the target references (ApplyPrimaryConfigs, pkg/canary/config_tracker.go).
const CONFIG_REFS = new Set([
  'configMap',
  'secret',
  'configMapKeyRef',
  'secretKeyRef',
  'configMapRef',
  'secretRef',
]);

function unprimed(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => unprimed(item));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => {
      const name = CONFIG_REFS.has(key) && (k === 'name' || k === 'secretName');
      return [k, name && typeof v === 'string' ? v.replace(/-primary$/, '') : unprimed(v, k)];
    }),
  );
}
