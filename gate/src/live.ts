import type { KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import { decide, retrying, type Decision, type ObjectRef } from '@greenlight/core';
import type { LiveReader } from './lookup.ts';
import type { GateMetrics, GateName } from './metrics.ts';
import type { GateCode } from './public-answer.ts';

// No yes on stale data (docs/design.md, "The approval protocol"): the cache can be behind
// the cluster — a watch that stalled within its silence bound, an event still in flight —
// so before the gate answers 200 it reads the Canary and its target Deployment through the
// API and runs the same decide() on them. An allow happens once per rollout (Flagger stops
// calling confirm-promotion once it passes), so this is two reads per approval, not per call.

/** A decision, or the gate's own refusal when the live objects could not confirm one. */
export type GateDecision =
  Decision | (Omit<Decision, 'code' | 'status'> & { code: GateCode; status: 503 });

export interface LiveDependencies {
  live: LiveReader;
  metrics: GateMetrics;
}

/** Confirms `cached` (an allow) on live objects; answers what the live objects decide. */
export async function confirmLive(
  deps: LiveDependencies,
  gate: GateName,
  payload: unknown,
  cached: Decision,
): Promise<GateDecision> {
  // decide() allowed, so the payload is Flagger's, with a valid name and namespace.
  const { namespace, name } = payload as { namespace: string; name: string };
  let canary: Canary | undefined;
  let target: V1Deployment | undefined;
  try {
    canary = await read<Canary>(deps, {
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      namespace,
      name,
    });
    const targetName = canary?.spec?.targetRef?.name;
    if (targetName) {
      target = await read<V1Deployment>(deps, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace,
        name: targetName,
      });
    }
  } catch (error) {
    return {
      allowed: false,
      status: 503,
      code: 'LiveReadFailed',
      reason: `The gate's cache allows it, but the live read that must confirm it failed (${(error as Error).message}); Flagger will ask again.`,
      ...(cached.revision ? { revision: cached.revision } : {}),
    };
  }
  const live = decide({ gate, payload, canary, target, synced: true });
  if (!live.allowed) return live;
  if (live.revision !== cached.revision) {
    return {
      allowed: false,
      status: 503,
      code: 'CacheBehind',
      reason: `The gate's cache allows revision ${cached.revision}, but the live objects are at revision ${live.revision}; the cache is behind, and Flagger will ask again.`,
      ...(live.revision ? { revision: live.revision } : {}),
    };
  }
  return live;
}

async function read<T extends KubernetesObject>(
  deps: LiveDependencies,
  ref: ObjectRef,
): Promise<T | undefined> {
  try {
    // A transient 5xx, 429 or dropped connection is retried (100, 200, 400 ms apart).
    const object = await retrying(() => deps.live<T>(ref));
    deps.metrics.liveReads.inc({ kind: ref.kind, result: object ? 'found' : 'absent' });
    return object;
  } catch (error) {
    deps.metrics.liveReads.inc({ kind: ref.kind, result: 'failed' });
    throw error;
  }
}
