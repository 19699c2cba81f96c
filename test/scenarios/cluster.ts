// The one interface the rollout scenarios are written against, so the very same scenarios
// run against the sandbox (npm test) and against a real control plane with the real Flagger
// (the e2e tier). Everything goes through the Kubernetes API, as a user's tools would.
import type { Canary } from 'flagger-types';
import type { CanaryOptionsInput, RolloutView } from '@greenlight/core';

export interface ScenarioCluster {
  /** Where the chatbot lives (`openfaas-fn`) and its name (`chatbot`). */
  readonly namespace: string;
  readonly name: string;
  /** Real milliseconds of one analysis interval: scenarios size their waits in intervals. */
  readonly intervalMs: number;
  /**
   * Applies the chatbot's Canary as Greenlight renders it from `options`; the cluster adds
   * what only it knows (its gate URL, its Prometheus, an interval it can run fast).
   */
  install(options?: Partial<CanaryOptionsInput>): Promise<void>;
  /**
   * Ships `revision` as the chatbot's Deployment, stamped with greenlight.dev/revision, its
   * container's environment `env`: `{ DEMO_FAULT: 'fail-questions' }` ships a bug in its code
   * (examples/chatbot/README.md); default: none, healthy.
   */
  deploy(revision: string, env?: Record<string, string>): Promise<void>;
  /** `greenlight approve`: approves the revision under analysis, or `revision`. */
  approve(revision?: string): Promise<void>;
  /** `greenlight abort`: asks for the revision under analysis (or `revision`) to be rolled back. */
  abort(revision?: string): Promise<void>;
  /** The rollout as Greenlight reads it (core's interpret over Canary, route, Deployments). */
  view(): Promise<RolloutView>;
  /** The Canary as stored, status included. */
  canary(): Promise<Canary>;
  /** Messages of the Events Flagger recorded on the Canary, oldest first. */
  events(): Promise<string[]>;
  /**
   * Reads the view until `predicate` holds and returns that view; fails after `timeoutMs`
   * with `what`, the last view and the last events.
   */
  waitFor(
    what: string,
    predicate: (view: RolloutView) => boolean,
    timeoutMs?: number,
  ): Promise<RolloutView>;
  close(): Promise<void>;
}
