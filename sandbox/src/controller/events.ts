import type { KubernetesObject } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import type { KubeClient } from '@greenlight/core';

// Flagger's recordEventInfof / recordEventWarningf / recordEventErrorf
// (pkg/controller/events.go): every message becomes a core/v1 Event on the Canary with
// reason `Synced` and source `flagger`, Normal for info and Warning for warnings and errors.
// Alerts and event webhooks are not simulated.

export type Log = (line: string) => void;

export class EventRecorder {
  readonly #kube: KubeClient;
  readonly #log: Log;

  constructor(kube: KubeClient, log: Log) {
    this.#kube = kube;
    this.#log = log;
  }

  info(canary: Canary, message: string): Promise<void> {
    return this.#record(canary, 'Normal', message);
  }

  warn(canary: Canary, message: string): Promise<void> {
    return this.#record(canary, 'Warning', message);
  }

  /** Flagger's recordEventErrorf: a Warning Event, logged as an error. */
  error(canary: Canary, message: string): Promise<void> {
    return this.#record(canary, 'Warning', message);
  }

  async #record(canary: Canary, type: 'Normal' | 'Warning', message: string): Promise<void> {
    const id = `${canary.metadata.name}.${canary.metadata.namespace}`;
    this.#log(`${type === 'Normal' ? 'info' : 'warn'} ${id}: ${message}`);
    try {
      // In order, as client-go's broadcaster would deliver them.
      await this.#kube.recordEvent(canary as KubernetesObject, {
        type,
        reason: 'Synced',
        message,
        component: 'flagger',
      });
    } catch (error) {
      // Like client-go's recorder: a lost Event is logged, never fails the run.
      this.#log(`error ${id}: could not record event: ${(error as Error).message}`);
    }
  }
}
