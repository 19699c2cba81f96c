import { randomUUID } from 'node:crypto';
import type { V1Deployment, V1DeploymentCondition } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import type { KubeClient } from '@greenlight/core';
import { progressDeadlineSeconds, readyThreshold, skipsAnalysis } from 'flagger-types';
import { templateHash } from './canary-status-ops.ts';
import { mergeDiff } from './merge-diff.ts';
import { hasSpecChanged } from './spec-hash.ts';

// Flagger's DeploymentController (pkg/canary/deployment_controller.go, deployment_ready.go):
// the primary Deployment `<target>-primary`, its promotion from the target's pod template,
// scaling the target, and the readiness checks. ConfigMaps/Secrets tracking, HPAs and
// label-prefix filtering are not simulated.

/** A readiness check: `error` says why not ready; `retriable` false means roll back. */
export interface Readiness {
  ready: boolean;
  retriable: boolean;
  error?: string;
}

const READY: Readiness = { ready: true, retriable: true };

/** Flagger's `flagger-id` pod annotation, renewed at each promotion to force a rollout. */
const ID_ANNOTATION = 'flagger-id';
/** Flux's own metadata, which Flagger never copies. */
const TOOLKIT_MARKER = 'toolkit.fluxcd.io';

export class DeploymentController {
  readonly #kube: KubeClient;
  readonly #labels: string[];

  constructor(kube: KubeClient, selectorLabels: string[]) {
    this.#kube = kube;
    this.#labels = selectorLabels;
  }

  /** The Deployment `name`, or an error phrased as Flagger's. */
  async get(namespace: string, name: string): Promise<V1Deployment> {
    const deployment = await this.#kube.get<V1Deployment>({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace,
      name,
    });
    if (!deployment) {
      throw new Error(
        `deployment ${name}.${namespace} get query error: deployments.apps "${name}" not found`,
      );
    }
    return deployment;
  }

  target(canary: Canary): Promise<V1Deployment> {
    return this.get(namespaceOf(canary), canary.spec.targetRef.name);
  }

  primary(canary: Canary): Promise<V1Deployment> {
    return this.get(namespaceOf(canary), `${canary.spec.targetRef.name}-primary`);
  }

  /** getSelectorLabel: the first of Flagger's `-selector-labels` the target selects by. */
  selectorLabel(deployment: V1Deployment): { label: string; value: string } {
    const matchLabels = deployment.spec?.selector?.matchLabels ?? {};
    for (const label of this.#labels) {
      const value = matchLabels[label];
      if (value !== undefined) return { label, value };
    }
    throw new Error(
      `getSelectorLabel failed: deployment ${deployment.metadata?.name}.${deployment.metadata?.namespace} spec.selector.matchLabels must contain one of [${this.#labels.join(' ')}]`,
    );
  }

  /** Initialize: create the primary; while initializing, wait until it is ready. */
  async initialize(canary: Canary): Promise<Readiness> {
    try {
      await this.#createPrimary(canary);
    } catch (error) {
      return {
        ready: false,
        retriable: true,
        error: `createPrimaryDeployment failed: ${(error as Error).message}`,
      };
    }
    const phase = canary.status?.phase ?? '';
    if ((phase === '' || phase === 'Initializing') && !skipsAnalysis(canary)) {
      return this.isPrimaryReady(canary);
    }
    return READY;
  }

  async isPrimaryReady(canary: Canary): Promise<Readiness> {
    const name = `${canary.spec.targetRef.name}-primary`;
    let primary: V1Deployment;
    try {
      primary = await this.primary(canary);
    } catch (error) {
      return { ready: false, retriable: true, error: (error as Error).message };
    }
    const result = isDeploymentReady(
      primary,
      progressDeadlineSeconds(canary),
      readyThreshold(canary, 'primary'),
    );
    if (result.ready) return result;
    return { ...result, error: `${name}.${namespaceOf(canary)} not ready: ${result.error}` };
  }

  async isCanaryReady(canary: Canary): Promise<Readiness> {
    const name = canary.spec.targetRef.name;
    let target: V1Deployment;
    try {
      target = await this.target(canary);
    } catch (error) {
      return { ready: false, retriable: true, error: (error as Error).message };
    }
    const result = isDeploymentReady(
      target,
      progressDeadlineSeconds(canary),
      readyThreshold(canary, 'canary'),
    );
    if (result.ready) return result;
    return {
      ...result,
      error: `canary deployment ${name}.${namespaceOf(canary)} not ready: ${result.error}`,
    };
  }

  /** HasTargetChanged: the target's pod template differs from the last applied one. */
  async hasTargetChanged(canary: Canary): Promise<boolean> {
    return hasSpecChanged(canary.status, templateHash(await this.target(canary)));
  }

  /** Promote: copy the target's pod template (and rollout settings) to the primary. */
  async promote(canary: Canary): Promise<void> {
    const namespace = namespaceOf(canary);
    const primaryName = `${canary.spec.targetRef.name}-primary`;
    try {
      const target = await this.target(canary);
      const primary = await this.primary(canary);
      const { label, value } = this.selectorLabel(target);
      const primaryValue = `${value}-primary`;
      const template = target.spec?.template ?? {};
      const spec = {
        ...primary.spec,
        progressDeadlineSeconds: target.spec?.progressDeadlineSeconds,
        minReadySeconds: target.spec?.minReadySeconds,
        revisionHistoryLimit: target.spec?.revisionHistoryLimit,
        strategy: target.spec?.strategy,
        replicas: target.spec?.replicas,
        template: {
          ...primary.spec?.template,
          metadata: {
            ...primary.spec?.template?.metadata,
            annotations: withNewId(template.metadata?.annotations),
            labels: primaryLabels(template.metadata?.labels, label, primaryValue),
          },
          spec: template.spec,
        },
      };
      await this.#kube.mergePatch(
        { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: primaryName },
        {
          metadata: {
            // Flagger copies no Deployment annotations or labels without -include-label-prefix.
            annotations: mergeDiff(primary.metadata?.annotations ?? {}, {}),
            labels: mergeDiff(
              primary.metadata?.labels ?? {},
              primaryLabels({}, label, primaryValue),
            ),
          },
          spec: mergeDiff(primary.spec, spec),
        },
      );
    } catch (error) {
      throw new Error(
        `updating deployment ${primaryName}.${namespace} template spec failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  async scaleToZero(canary: Canary): Promise<void> {
    await this.#scale(canary, 0);
  }

  /** ScaleFromZero: the target's replicas, else the primary's, else 1. */
  async scaleFromZero(canary: Canary): Promise<void> {
    const target = await this.target(canary);
    let replicas = 1;
    if ((target.spec?.replicas ?? 0) > 0) replicas = target.spec?.replicas as number;
    else {
      const primary = await this.primary(canary);
      if ((primary.spec?.replicas ?? 0) > 0) replicas = primary.spec?.replicas as number;
    }
    await this.#scale(canary, replicas);
  }

  async #scale(canary: Canary, replicas: number): Promise<void> {
    const namespace = namespaceOf(canary);
    const name = canary.spec.targetRef.name;
    try {
      await this.#kube.mergePatch(
        { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name },
        { spec: { replicas } },
      );
    } catch (error) {
      throw new Error(
        `deployment ${name}.${namespace} patch query error: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  async #createPrimary(canary: Canary): Promise<void> {
    const namespace = namespaceOf(canary);
    const primaryName = `${canary.spec.targetRef.name}-primary`;
    const target = await this.target(canary);
    const { label, value } = this.selectorLabel(target);
    const existing = await this.#kube.get<V1Deployment>({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace,
      name: primaryName,
    });
    if (existing) return;
    const primaryValue = `${value}-primary`;
    const template = target.spec?.template ?? {};
    const replicas = (target.spec?.replicas ?? 0) > 0 ? (target.spec?.replicas as number) : 1;
    const primary: V1Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: primaryName,
        namespace,
        labels: primaryLabels({}, label, primaryValue),
        annotations: withoutToolkit(target.metadata?.annotations),
        ownerReferences: [ownerReference(canary)],
      },
      spec: {
        progressDeadlineSeconds: target.spec?.progressDeadlineSeconds,
        minReadySeconds: target.spec?.minReadySeconds,
        revisionHistoryLimit: target.spec?.revisionHistoryLimit,
        replicas,
        strategy: target.spec?.strategy,
        selector: { matchLabels: { [label]: primaryValue } },
        template: {
          metadata: {
            labels: primaryLabels(template.metadata?.labels, label, primaryValue),
            annotations: withNewId(template.metadata?.annotations),
          },
          spec: template.spec,
        },
      },
    };
    try {
      await this.#kube.apply(dropUndefined(primary));
    } catch (error) {
      throw new Error(
        `creating deployment ${primaryName}.${namespace} failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
}

/**
 * isDeploymentReady: the rollout is observed, every replica updated and available (up to
 * the ready threshold), and the progress deadline not exceeded — which alone is not retriable.
 */
export function isDeploymentReady(
  deployment: V1Deployment,
  deadlineSeconds: number,
  thresholdPercent: number,
  now = Date.now(),
): Readiness {
  const status = deployment.status ?? {};
  if ((deployment.metadata?.generation ?? 0) > (status.observedGeneration ?? 0)) {
    return notReady(
      'waiting for rollout to finish: observed deployment generation less than desired generation',
    );
  }
  const condition = (type: string): V1DeploymentCondition | undefined =>
    status.conditions?.find((c) => c.type === type);
  const progress = condition('Progressing');
  let retriable = true;
  if (progress) {
    const available = condition('Available');
    if (available?.status === 'False' && available.reason === 'MinimumReplicasUnavailable') {
      const from = Date.parse(String(available.lastUpdateTime ?? ''));
      retriable = !(from + deadlineSeconds * 1000 < now);
    }
  }
  const updated = status.updatedReplicas ?? 0;
  const readyUpdated = Math.trunc(updated * (thresholdPercent / 100));
  if (progress?.reason === 'ProgressDeadlineExceeded') {
    return {
      ready: false,
      retriable: false,
      error: `deployment "${deployment.metadata?.name}" exceeded its progress deadline`,
    };
  }
  const wanted = deployment.spec?.replicas;
  if (wanted !== undefined && updated < wanted) {
    return {
      ready: false,
      retriable,
      error: `waiting for rollout to finish: ${updated} out of ${wanted} new replicas have been updated`,
    };
  }
  if ((status.replicas ?? 0) > updated) {
    return {
      ready: false,
      retriable,
      error: `waiting for rollout to finish: ${(status.replicas ?? 0) - updated} old replicas are pending termination`,
    };
  }
  if ((status.availableReplicas ?? 0) < readyUpdated) {
    return {
      ready: false,
      retriable,
      error: `waiting for rollout to finish: ${status.availableReplicas ?? 0} of ${readyUpdated} (readyThreshold ${thresholdPercent}%) updated replicas are available`,
    };
  }
  return READY;
}

function notReady(error: string): Readiness {
  return { ready: false, retriable: true, error };
}

function namespaceOf(canary: Canary): string {
  return canary.metadata.namespace ?? '';
}

/** makePrimaryLabels: the labels with the selector label pointing at the primary. */
function primaryLabels(
  labels: Record<string, string> | undefined,
  label: string,
  value: string,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, v] of Object.entries(labels ?? {})) {
    if (!key.includes(TOOLKIT_MARKER) && key !== label) result[key] = v;
  }
  result[label] = value;
  return result;
}

/** makeAnnotations: the pod annotations with a fresh `flagger-id`. */
function withNewId(annotations: Record<string, string> | undefined): Record<string, string> {
  const result = withoutToolkit(annotations);
  delete result[ID_ANNOTATION];
  result[ID_ANNOTATION] = randomUUID();
  return result;
}

function withoutToolkit(annotations: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(annotations ?? {}).filter(([key]) => !key.includes(TOOLKIT_MARKER)),
  );
}

export function ownerReference(canary: Canary) {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    name: canary.metadata.name,
    uid: canary.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

function dropUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
