// What the follow reads besides the Canary, and only when the Canary says it must: the
// Canary's watch tells every status change, so the Deployments and the route are read once
// at the moments their content matters, not watched.
//
// - The revision under analysis (the target's greenlight.dev/revision): the caller knows it
//   when it starts (it just wrote or read it). It can change only with the target's pod
//   template, and Flagger reports each new template it picks up as a new
//   `status.lastAppliedSpec` (scheduler.go hasCanaryRevisionChanged / SyncStatus), so the
//   target is read again exactly when that changes — the supersede check.
// - The promoted revision (the primary's) matters where the verdict compares it with the
//   revision under analysis: Initialized and Succeeded (a newer revision not yet picked up)
//   and a superseded revision (was it promoted first?). For a rollout the caller started,
//   once Flagger has picked its template up (lastAppliedSpec changed) and reached those
//   phases after the start, the primary runs the revision under analysis: promotion copies
//   the analysed template (scheduler.go "Copying … template spec to …-primary", then
//   Promoting, Finalising, Succeeded; Initialized after a first revision's copy). Otherwise
//   the status may still speak of an earlier template, so the primary is read there.
// - The live weights: `status.canaryWeight` equals the route's canary weight in every phase
//   but two, where Flagger resets it to 0 while the route holds the canary at max weight
//   (status.go setStatusPhase: WaitingPromotion and Promoting; docs/design.md, "Flagger facts"), and blue/green,
//   which never sets it and switches the route to the canary after its last iteration. The
//   route is read there, once per status change.
import type { V1Deployment } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import {
  liveWeights,
  phaseSince,
  REVISION_ANNOTATION,
  revisionOf,
  rolloutObjects,
  type InterpretInput,
  type ObjectReader,
  type RouteObject,
} from '@greenlight/core';

const PROMOTED_PHASES = new Set(['Promoting', 'Finalising', 'Succeeded', 'Initialized']);
/** The phases whose verdict compares the promoted revision with the one under analysis. */
const AT_REST_PHASES = new Set(['Succeeded', 'Initialized']);
const ROUTE_PHASES = new Set(['WaitingPromotion', 'Promoting']);
const MIN_RETRY_MS = 200;
const MAX_RETRY_MS = 5000;

export interface FollowReadsOptions {
  read: ObjectReader;
  /** The revision the caller wrote or read just before following; absent: read it. */
  revision?: string;
  /** The revision followed (for the supersede check); absent: whichever is under analysis. */
  following?: string;
  /**
   * Which `status.lastAppliedSpec` that revision goes with: `{spec}` when the caller wrote
   * the target after reading the status (the Canary's spec before the rollout); absent when
   * the caller read the revision with the status as it is (the first one seen).
   */
  startSpec?: { spec: string | undefined };
  /** Called when a read lands, for the follow to look again. */
  onRead(): void;
}

/** One read, retried until it lands or another read replaces it. */
interface Read {
  key: string;
  value?: unknown;
  done: boolean;
  failures: number;
}

export class FollowReads {
  private readonly options: FollowReadsOptions;
  /** The target's revision, and the lastAppliedSpec it goes with. */
  private revision: { spec: string | undefined; value: string | undefined } | undefined;
  private promoted: string | undefined;
  /** The canary's live weight (percent) last known for a template, from status or route. */
  private held: { spec: string | undefined; weight: number } | undefined;
  private readonly reads = new Map<'target' | 'primary' | 'route', Read>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(options: FollowReadsOptions) {
    this.options = options;
    if (options.revision !== undefined && options.startSpec) {
      this.revision = { spec: options.startSpec.spec, value: options.revision };
    }
  }

  /**
   * What interpret needs besides the Canary, or undefined while a read it needs is under
   * way (onRead is called when it lands). `status` says whom the status speaks of: `ours`,
   * the rollout the caller started (Flagger picked its template up and moved on since);
   * `earlier`, the template before it (Flagger has not picked ours up: the follow draws no
   * verdict from it); `unknown`, when the caller started nothing. `canaryWeight`, when
   * given, is the live weight where the status reads 0 (Promoting).
   */
  inputs(
    canary: Canary,
    whose: 'ours' | 'earlier' | 'unknown',
  ): (Omit<InterpretInput, 'canary'> & { canaryWeight?: number }) | undefined {
    const status = canary.status;
    const spec = status?.lastAppliedSpec;
    const objects = rolloutObjects(canary);
    const targetName = objects.target.name;
    if (!this.revision && this.options.revision !== undefined) {
      this.revision = { spec, value: this.options.revision };
    }
    if (!this.revision || this.revision.spec !== spec) {
      const read = this.ensure('target', `spec ${spec}`, async () =>
        revisionOf(await this.options.read<V1Deployment>(objects.target)),
      );
      if (!read.done) return undefined;
      this.revision = { spec, value: read.value as string | undefined };
    }
    const revision = this.revision.value;
    const phase = status?.phase ?? '';
    if (whose === 'ours' && PROMOTED_PHASES.has(phase)) this.promoted = revision;
    else if (
      whose !== 'earlier' &&
      (AT_REST_PHASES.has(phase) ||
        (this.options.following && revision && revision !== this.options.following))
    ) {
      const key = `${phase} ${phaseSince(canary)} ${status?.lastPromotedSpec} ${spec}`;
      const read = this.ensure('primary', key, async () =>
        revisionOf(await this.options.read<V1Deployment>(objects.primary)),
      );
      if (!read.done) return undefined;
      this.promoted = read.value as string | undefined;
    }

    // Promoting starts where the analysis stopped: Flagger changes no route between its last
    // step (or WaitingPromotion) and Promoting, and zeroes status.canaryWeight on entering
    // it (status.go setStatusPhase); with stepWeightPromotion it writes each step's weight.
    const weight = status?.canaryWeight;
    if (phase === 'Progressing' && !needsRoute(canary) && typeof weight === 'number') {
      this.held = { spec, weight };
    }
    const known = this.held;
    const held =
      phase === 'Promoting' && !(weight && weight > 0) && known && known.spec === spec
        ? known.weight
        : undefined;
    let route: RouteObject | undefined;
    if (held === undefined && needsRoute(canary)) {
      const key = `${status?.phase} ${status?.iterations} ${phaseSince(canary)}`;
      const read = this.ensure('route', key, () => this.options.read<RouteObject>(objects.route));
      if (!read.done) return undefined;
      route = read.value as RouteObject | undefined;
      if (route) this.held = { spec, weight: liveWeights(canary, route).green };
    }
    return {
      ...(route ? { route } : {}),
      ...(held !== undefined ? { canaryWeight: held } : {}),
      ...(revision ? { target: stamped(targetName, revision) } : {}),
      ...(this.promoted ? { primary: stamped(objects.primary.name, this.promoted) } : {}),
    };
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
  }

  /** The read of `which` for `key`: the one under way, or a new one. */
  private ensure(
    which: 'target' | 'primary' | 'route',
    key: string,
    load: () => Promise<unknown>,
  ): Read {
    const current = this.reads.get(which);
    if (current?.key === key) return current;
    const read: Read = { key, done: false, failures: 0 };
    this.reads.set(which, read);
    const attempt = () => {
      load().then(
        (value) => {
          if (this.stopped || this.reads.get(which) !== read) return;
          read.value = value;
          read.done = true;
          this.options.onRead();
        },
        () => {
          // The API is failing (500s, 429s, resets): try again, and say nothing about this
          // rollout meanwhile rather than something stale.
          if (this.stopped || this.reads.get(which) !== read) return;
          read.failures++;
          const delay = Math.min(MAX_RETRY_MS, MIN_RETRY_MS * 2 ** (read.failures - 1));
          const timer = setTimeout(() => {
            this.timers.delete(timer);
            attempt();
          }, delay);
          this.timers.add(timer);
        },
      );
    };
    attempt();
    return read;
  }
}

function needsRoute(canary: Canary): boolean {
  const phase = canary.status?.phase ?? '';
  if (ROUTE_PHASES.has(phase)) return true;
  // Blue/green: Flagger routes everything to the canary once the iterations are done
  // (scheduler.go runBlueGreen), and status.canaryWeight stays 0.
  const iterations = canary.spec.analysis?.iterations ?? 0;
  return (
    iterations > 0 && phase === 'Progressing' && (canary.status?.iterations ?? 0) >= iterations
  );
}

/** A Deployment as interpret reads it: its revision annotation. */
function stamped(name: string, revision: string): V1Deployment {
  return {
    metadata: { name },
    spec: {
      selector: {},
      template: { metadata: { annotations: { [REVISION_ANNOTATION]: revision } } },
    },
  };
}
