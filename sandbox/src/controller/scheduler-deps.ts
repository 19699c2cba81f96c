import type { KubeClient } from '@greenlight/core';
import type { CanaryStatusOps } from './canary-status-ops.ts';
import type { MetricChecks } from './checks.ts';
import type { DeploymentController } from './deployment-controller.ts';
import type { EventRecorder } from './events.ts';
import type { Hooks } from './hooks.ts';

/** What the scheduler and its steps (steps.ts, rollback.ts) act through. */
export interface SchedulerDeps {
  kube: KubeClient;
  events: EventRecorder;
  status: CanaryStatusOps;
  deployments: DeploymentController;
  hooks: Hooks;
  checks: MetricChecks;
  /** Flagger's -mesh-provider, for Canaries without `spec.provider`. */
  meshProvider: string;
}
