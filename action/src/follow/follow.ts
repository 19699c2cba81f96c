// Follows canaries to the point the workflow waits for: one watch (list once, then a stream
// of changes) on the Canaries, never polls — Flagger writes status once per analysis
// interval and a poller would miss or delay phases. The Deployments and the route are read
// only at the status changes that make them matter (follow-reads.ts), so following one
// canary through a whole analysis costs a handful of API requests.
//
// Each function gets its own log group, one after the other (a runner cannot nest or
// interleave groups). Changes of the functions not yet shown are recorded with their time
// and printed when their group opens, so no change is lost and the first function's lines
// appear live.
import type { KubeConfig } from '@kubernetes/client-node';
import { FLAGGER_API_VERSION, type Canary } from 'flagger-types';
import {
  createKubeClient,
  withRetries,
  createObjectReader,
  interpret,
  ObjectCache,
  outcomeOf,
  readStatus,
  startSpecOf,
  type GoldenSignals,
  type MetricsSource,
  type RolloutStart,
  type StatusOutcome,
  type RolloutView,
} from '@greenlight/core';
import * as core from '@actions/core';
import { FollowReads } from './follow-reads.ts';
import { rolloutLine } from '../format.ts';
import { canaryEvents, lastFailedCheck } from './failed-check.ts';
import { lastProbeRun, type ProbeRun } from './probe-run.ts';

export type Outcome = StatusOutcome | 'timed-out' | 'deleted';

/**
 * A Canary to follow. `since`, `previousSpec` and `previousFailure` (core's RolloutStart,
 * from rolloutStart) say whether its status speaks of the rollout the caller started;
 * absent when nothing was started (the deploy changed nothing): the status is current.
 */
export interface FollowedCanary extends Partial<RolloutStart> {
  name: string;
  /** The revision followed; absent: whichever is under analysis. */
  revision?: string;
  /** It has a chat probe: its last probe run is read from the Canary's Events at the end. */
  probed?: boolean;
}

export interface FollowOptions {
  kc: KubeConfig;
  namespace: string;
  canaries: FollowedCanary[];
  until: 'awaiting-approval' | 'done';
  /** Epoch ms after which what is still running ends as `timed-out`. */
  deadline: number;
  metrics?: MetricsSource;
  /** Where lines go; the runner's log by default. */
  log?: (line: string) => void;
}

export interface FollowResult {
  name: string;
  outcome: Outcome;
  reason: string;
  view?: RolloutView;
  /** The last chat probe run of the revision, from the prober's Events. */
  probe?: ProbeRun;
}

interface CanaryState {
  followed: FollowedCanary;
  reads: FollowReads;
  lastLine?: string;
  /** Lines recorded while another function's group was open. */
  pending: string[];
  live: boolean;
  seenActive: boolean;
  /** Flagger has picked this rollout's pod template up (core's readStatus). */
  noticed: boolean;
  metrics?: GoldenSignals;
  metricsAt: number;
  result?: FollowResult;
  settle?: (result: FollowResult) => void;
}

const ACTIVE_PHASES = new Set([
  'Progressing',
  'Waiting',
  'WaitingPromotion',
  'Promoting',
  'Finalising',
]);
const METRICS_EVERY_MS = 10_000;

export async function follow(options: FollowOptions): Promise<FollowResult[]> {
  const log = options.log ?? core.info;
  const only = options.canaries.length === 1 ? options.canaries[0]?.name : undefined;
  const canaries = new ObjectCache<Canary>(
    options.kc,
    { apiVersion: FLAGGER_API_VERSION, kind: 'Canary', namespace: options.namespace },
    only ? { fieldSelector: `metadata.name=${only}` } : {},
  );
  const read = createObjectReader(options.kc);
  const states = options.canaries.map<CanaryState>((followed) => {
    const startSpec = startSpecOf(startOf(followed));
    return {
      followed,
      reads: new FollowReads({
        read,
        ...(followed.revision !== undefined
          ? { revision: followed.revision, following: followed.revision }
          : {}),
        // A rollout started by the caller: the revision it wrote goes with the spec before it.
        ...(startSpec ? { startSpec } : {}),
        onRead: () => update(),
      }),
      pending: [],
      live: false,
      seenActive: false,
      noticed: false,
      metricsAt: 0,
    };
  });

  const emit = (state: CanaryState, line: string) => {
    const stamped = `${new Date().toISOString().slice(11, 19)} ${line}`;
    if (state.live) log(stamped);
    else state.pending.push(stamped);
  };
  const finish = (state: CanaryState, result: FollowResult) => {
    if (state.result) return;
    state.result = result;
    state.settle?.(result);
  };

  const update = () => {
    if (!canaries.synced) return;
    for (const state of states) {
      if (state.result) continue;
      const { name, revision } = state.followed;
      const canary = canaries.get(options.namespace, name);
      if (!canary) {
        emit(state, 'the Canary was deleted');
        finish(state, {
          name,
          outcome: 'deleted',
          reason: `Canary ${options.namespace}/${name} was deleted.`,
        });
        continue;
      }
      const reading = readStatus(canary, startOf(state.followed), state.noticed);
      state.noticed = reading.noticed;
      const known = state.reads.inputs(canary, reading.whose);
      // A read is under way; update runs again when it lands.
      if (!known) continue;
      const { canaryWeight, ...reads } = known;
      const seen =
        canaryWeight === undefined
          ? canary
          : { ...canary, status: { ...canary.status, canaryWeight } };
      const view = interpret({
        canary: seen,
        ...reads,
        ...(revision ? { following: revision } : {}),
      });
      refreshMetrics(state, view, options.metrics);
      const line = rolloutLine(view, state.metrics);
      if (line !== state.lastLine) emit(state, line);
      state.lastLine = line;
      if (ACTIVE_PHASES.has(view.phase) && view.verdict === 'in-progress') state.seenActive = true;
      const outcome = outcomeOf(view, reading, {
        seenActive: state.seenActive,
        until: options.until,
      });
      if (outcome) finish(state, { name, outcome, reason: view.reason, view });
    }
  };
  canaries.onChange(update);
  // A relist that changed nothing still lets a read that landed meanwhile be acted on.
  canaries.onSync(update);

  const timer = setTimeout(
    () => {
      for (const state of states) {
        finish(state, {
          name: state.followed.name,
          outcome: 'timed-out',
          reason: `Canary ${options.namespace}/${state.followed.name} did not get there before the timeout`,
        });
      }
    },
    Math.max(0, options.deadline - Date.now()),
  );
  try {
    await canaries.start();
    update();
    const results: FollowResult[] = [];
    for (const state of states) {
      results.push(
        await core.group(`Canary ${options.namespace}/${state.followed.name}`, async () => {
          for (const line of state.pending.splice(0)) log(line);
          state.live = true;
          const settled =
            state.result ?? (await new Promise<FollowResult>((r) => (state.settle = r)));
          const result = await withEvents(settled, options, state.followed);
          log(`→ ${result.outcome}: ${result.reason}`);
          return result;
        }),
      );
    }
    return results;
  } finally {
    clearTimeout(timer);
    canaries.stop();
    for (const state of states) state.reads.stop();
  }
}

/**
 * The result with what the Canary's Events add: a rollback's failed check, which Flagger's
 * status does not name, and the revision's last probe run. A failed probe is in Flagger's
 * check when its Event survived; else the prober's own Event gives the turn, request and reply.
 */
async function withEvents(
  result: FollowResult,
  options: FollowOptions,
  followed: FollowedCanary,
): Promise<FollowResult> {
  if (result.outcome === 'deleted') return result;
  const failed = result.outcome === 'failed' && !result.view?.abort?.matchesRevision;
  const revision = followed.probed ? (result.view?.revision ?? followed.revision) : undefined;
  if (!failed && revision === undefined) return result;
  // Retried like the deploy's own requests: one 500 on this list would drop the reason.
  const kube = withRetries(createKubeClient(options.kc));
  const events = await canaryEvents(kube, options.namespace, result.name);
  const probe = revision === undefined ? undefined : lastProbeRun(events, revision, followed.since);
  const withProbe = probe ? { ...result, probe } : result;
  if (!failed) return withProbe;
  const check = lastFailedCheck(events, followed.since);
  let reason = check ? `${result.reason} Last failed check: ${check}.` : result.reason;
  if (probe?.failure && !check?.includes(probe.failure))
    reason = `${reason} Last probe run: ${probe.message}.`;
  return { ...withProbe, reason };
}

/** The rollout the caller started, if any (FollowedCanary carries its fields). */
function startOf(followed: FollowedCanary): RolloutStart | undefined {
  return followed.since ? { ...followed, since: followed.since } : undefined;
}

function refreshMetrics(state: CanaryState, view: RolloutView, metrics?: MetricsSource): void {
  if (!metrics || Date.now() - state.metricsAt < METRICS_EVERY_MS) return;
  state.metricsAt = Date.now();
  // Asynchronous on purpose: a slow Prometheus must not delay the status line.
  metrics
    .golden({ namespace: view.namespace, name: view.name }, '1m')
    .then((golden) => (state.metrics = golden.green))
    .catch(() => undefined);
}
