import type { V1Deployment } from '@kubernetes/client-node';
import { FLAGGER_API_VERSION } from 'flagger-types';
import type { Canary } from 'flagger-types';
import { UserError } from '../errors.ts';
import type { EventInput, KubeClient } from '../kube/types.ts';
import type { MarkInput } from './annotations.ts';
import { retrying } from '../kube/retries.ts';
import { analysisOf } from './analysis.ts';
import type { Analysis } from './analysis.ts';
import { templateHash } from './template.ts';
import { revisionUnderAnalysis } from './under-analysis.ts';
import { writeOnce } from './write-once.ts';

// The write side of the approval protocol, shared by `approve` and `abort`: check that
// the revision is the one under analysis, bind the mark to that analysis (Flagger's
// checksum and the run's start), name the writer as the API server authenticated them,
// write the annotations with a merge patch (no read-modify-write race with other writers),
// then record who did it as an Event. Both writes happen once through API faults
// (write-once.ts).

export interface CanaryRef {
  namespace: string;
  name: string;
}

export interface MarkOptions {
  /** Defaults to the revision under analysis (the target Deployment's). */
  revision?: string;
  /**
   * For whom or why, beside the identity the API server authenticated (which is always the
   * `by`): `github:<actor> <run url>`, `backstage:<user entity ref>`, a CLI `--by`.
   */
  note?: string;
  /**
   * The analysis the person saw when they asked (a Slack button carries it): another run
   * or checksum under the same revision is refused rather than marked on their behalf.
   */
  analysis?: Analysis;
  now?: Date;
}

export interface MarkResult {
  revision: string;
  /** The Canary as the API server returned it after the patch. */
  canary: Canary;
  /**
   * Whether the Event saying who did it was recorded. The mark on the Canary is what counts;
   * an Event the API kept refusing is left out rather than failing a mark that was written.
   */
  recorded: boolean;
}

export interface MarkKind {
  /** The verb in messages: "approve", "abort". */
  verb: string;
  /** Approvals also bind to the target's pod template (Flagger's Promote copies it live). */
  bindsTemplate: boolean;
  patch(mark: MarkInput): object;
  event(mark: MarkInput): EventInput;
  /** Why this mark would have no effect on `canary`, and what to do, if so. */
  conflict?(canary: Canary, revision: string): { message: string; hint: string } | undefined;
}

export async function writeMark(
  kube: KubeClient,
  ref: CanaryRef,
  options: MarkOptions,
  kind: MarkKind,
): Promise<MarkResult> {
  const id = `${ref.namespace}/${ref.name}`;
  const note = options.note?.trim() || undefined;

  const canaryRef = { apiVersion: FLAGGER_API_VERSION, kind: 'Canary', ...ref };
  const canary = await kube.get<Canary>(canaryRef);
  if (!canary) {
    throw new UserError(`there is no Canary ${id}`, {
      hint: 'Check the namespace and the name (kubectl get canaries -A lists them)',
    });
  }

  const target = await kube.get<V1Deployment>({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: ref.namespace,
    name: canary.spec.targetRef.name,
  });
  const revision = revisionUnderAnalysis(canary, target, {
    verb: kind.verb,
    wanted: options.revision,
  });
  if (revision instanceof UserError) throw revision;
  const conflict = kind.conflict?.(canary, revision);
  if (conflict) throw new UserError(conflict.message, { field: 'revision', hint: conflict.hint });
  const analysis = analysisOf(canary);
  // Both marks act on one run: an approval promotes it once, an abort rolls it back and
  // never a later rollout of the same revision — so both need a run under way.
  if (!analysis) throw notAnalysing(canary, id, revision, kind.verb);
  const seen = options.analysis;
  if (seen && (seen.checksum !== analysis.checksum || seen.startedAt !== analysis.startedAt)) {
    throw new UserError(
      `the analysis of revision ${revision} of Canary ${id} that was asked to ${kind.verb} (begun ${seen.startedAt}) is no longer the one under way (begun ${analysis.startedAt})`,
      { field: 'analysis', hint: `Look at the rollout as it is now and ${kind.verb} again` },
    );
  }
  const by = await whoAmI(kube);

  // The time makes this mark unique: a canary carrying it carries this very write.
  const mark: MarkInput = {
    revision,
    checksum: analysis.checksum,
    analysis: analysis.startedAt,
    ...(kind.bindsTemplate ? { template: templateHash(target) } : {}),
    by,
    ...(note ? { note } : {}),
    at: (options.now ?? new Date()).toISOString(),
  };
  const patch = kind.patch(mark);
  const patched = await writeOnce(
    () => kube.mergePatch<Canary>(canaryRef, patch),
    async () => {
      const now = await kube.get<Canary>(canaryRef);
      return now && carries(now, patch) ? now : undefined;
    },
  );
  const event = { ...kind.event(mark), key: `${kind.verb} ${id} ${revision} ${by} ${mark.at}` };
  const recorded = await retrying(() => kube.recordEvent(patched, event)).then(
    () => true,
    () => false,
  );
  return { revision, canary: patched, recorded };
}

/** "alice", or "backstage:user:default/alice (as system:serviceaccount:backstage:backend)". */
export function describeWriter({ by, note }: { by?: string; note?: string }): string {
  if (!note) return by ?? 'an operator';
  return by ? `${note} (as ${by})` : note;
}

/** The writer as the API server authenticated it; never a name the caller asserts. */
export async function whoAmI(kube: KubeClient): Promise<string> {
  try {
    return (await retrying(() => kube.whoAmI())).username;
  } catch (error) {
    throw new UserError(
      `cannot learn from the Kubernetes API who is asking (SelfSubjectReview): ${(error as Error).message}`,
      {
        hint: 'Greenlight records the identity the API server authenticates; it needs Kubernetes 1.28 or later (authentication.k8s.io/v1 SelfSubjectReview)',
      },
    );
  }
}

function notAnalysing(canary: Canary, id: string, revision: string, verb: string): UserError {
  const phase = canary.status?.phase || 'not reported yet';
  return new UserError(
    `Flagger is not analysing revision ${revision} of Canary ${id} (phase ${phase}), so there is no analysis to ${verb}`,
    {
      field: 'revision',
      hint: `An approval or abort binds to one analysis of one pod template; wait until Flagger has started analysing ${revision} (greenlight watch ${id}) and ${verb} then`,
    },
  );
}

function carries(canary: Canary, patch: object): boolean {
  const wanted = (patch as { metadata?: { annotations?: Record<string, string | null> } }).metadata
    ?.annotations;
  const have: Record<string, string | undefined> = canary.metadata?.annotations ?? {};
  return Object.entries(wanted ?? {}).every(([key, value]) => (have[key] ?? null) === value);
}
