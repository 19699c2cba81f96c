import type { V1Deployment, V1ReplicaSet } from '@kubernetes/client-node';
import type { KubeClient } from '../kube/types.ts';
import { REVISION_ANNOTATION } from '../revision.ts';
import type { PromotedRevision } from './history.ts';

// The promoted-history is written by the deploy credential, so an entry proves nothing by
// itself: anyone who may deploy could record an image nobody approved under an old revision's
// name. Skipping the analysis trusts the entry, so it needs proof the deploy credential
// cannot forge: a ReplicaSet that Kubernetes' Deployment controller made for `<name>-primary`
// (whose pod template only Flagger and approvers may write, the keep-primary policy) with
// that revision and those images. The deploy Role grants nothing on ReplicaSets.

/** Whether `primary` ran `entry` as one of its ReplicaSets shows (kept revisionHistoryLimit). */
export async function ranOnPrimary(
  kube: KubeClient,
  primary: V1Deployment | undefined,
  entry: PromotedRevision,
): Promise<boolean> {
  const uid = primary?.metadata?.uid;
  if (!uid) return false;
  const sets = await kube.list<V1ReplicaSet>(
    { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
    primary.metadata?.namespace,
  );
  return sets.some((set) => controlledBy(set, uid) && runs(set, entry));
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
    containers.length === names.length &&
    containers.every((c) => entry.images[c.name] === c.image)
  );
}
