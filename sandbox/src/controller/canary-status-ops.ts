import type { V1Deployment } from '@kubernetes/client-node';
import type { Canary, CanaryPhase } from 'flagger-types';
import type { KubeClient } from '@greenlight/core';
import { computeHash } from './spec-hash.ts';
import { initializing, setField, setPhase, syncStatus, type SyncInput } from './status-patches.ts';
import type { StatusWriter } from './status-writer.ts';

// The status operations of Flagger's canary.Controller (SyncStatus, SetStatusPhase,
// SetStatusFailedChecks, SetStatusWeight, SetStatusIterations): status-patches.ts computes the
// fields, this writes them to the Canary's `/status`.

export class CanaryStatusOps {
  readonly #kube: KubeClient;
  readonly #writer: StatusWriter;
  readonly #now: () => Date;

  constructor(kube: KubeClient, writer: StatusWriter, now: () => Date) {
    this.#kube = kube;
    this.#writer = writer;
    this.#now = now;
  }

  /** SyncStatus: the given phase and counters, and the hash of the target's pod template. */
  async sync(canary: Canary, input: SyncInput): Promise<void> {
    const namespace = canary.metadata.namespace ?? '';
    const targetName = canary.spec.targetRef.name;
    const target = await this.#kube.get<V1Deployment>({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace,
      name: targetName,
    });
    if (!target) {
      throw new Error(
        `deployment ${targetName}.${namespace} get query error: deployments.apps "${targetName}" not found`,
      );
    }
    await this.#write(canary, syncStatus(canary, input, templateHash(target), this.#now()));
  }

  phase(canary: Canary, phase: CanaryPhase): Promise<void> {
    return this.#write(canary, setPhase(canary, phase, this.#now()));
  }

  failedChecks(canary: Canary, value: number): Promise<void> {
    return this.#write(canary, setField('failedChecks', value, this.#now()));
  }

  weight(canary: Canary, value: number): Promise<void> {
    return this.#write(canary, setField('canaryWeight', value, this.#now()));
  }

  iterations(canary: Canary, value: number): Promise<void> {
    return this.#write(canary, setField('iterations', value, this.#now()));
  }

  initializing(canary: Canary): Promise<void> {
    return this.#write(canary, initializing(canary, this.#now()));
  }

  #write(canary: Canary, patch: object): Promise<void> {
    return this.#writer.canary(canary.metadata.namespace ?? '', canary.metadata.name, patch);
  }
}

/** The hash Flagger compares to spot a new revision: of the pod template only. */
export function templateHash(deployment: V1Deployment): string {
  return computeHash(deployment.spec?.template ?? {});
}
