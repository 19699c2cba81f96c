// Follows one Canary through the real Flagger: every phase it passes (from a watch, so a
// short Promoting is not missed between two polls), and the Events written about it.
import type { CoreV1Event } from '@kubernetes/client-node';
import type { Canary, CanaryPhase } from 'flagger-types';
import { ObjectCache, type KubeClient } from '@greenlight/core';
import type { ControlPlane } from './control-plane.ts';
import { FUNCTIONS_NAMESPACE } from './control-plane.ts';

export class RolloutWatch {
  readonly name: string;
  /** Each phase the Canary entered, in order, with the revision of the target at that time. */
  readonly phases: CanaryPhase[] = [];
  readonly #cache: ObjectCache<Canary>;
  readonly #kube: KubeClient;

  private constructor(plane: ControlPlane, name: string) {
    this.name = name;
    this.#kube = plane.kube;
    this.#cache = new ObjectCache<Canary>(plane.kc, {
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      namespace: FUNCTIONS_NAMESPACE,
    });
    this.#cache.onChange(({ object }) => {
      if (object.metadata?.name !== name) return;
      const phase = object.status?.phase;
      if (phase && this.phases.at(-1) !== phase) this.phases.push(phase);
    });
  }

  static async start(plane: ControlPlane, name: string): Promise<RolloutWatch> {
    const watch = new RolloutWatch(plane, name);
    await watch.#cache.start({ timeoutMs: 30_000 });
    return watch;
  }

  get canary(): Canary | undefined {
    return this.#cache.get(FUNCTIONS_NAMESPACE, this.name);
  }

  get phase(): CanaryPhase | undefined {
    return this.canary?.status?.phase || undefined;
  }

  /** Phases entered from index `from` on. */
  since(from: number): CanaryPhase[] {
    return this.phases.slice(from);
  }

  /** Waits until the Canary is in `phase`; the error names the phases seen. */
  async until(
    phase: CanaryPhase | ((phase: CanaryPhase | undefined) => boolean),
    timeoutMs = 180_000,
  ): Promise<void> {
    const ok = typeof phase === 'function' ? phase : (p: CanaryPhase | undefined) => p === phase;
    const deadline = Date.now() + timeoutMs;
    while (!ok(this.phase)) {
      if (Date.now() > deadline) {
        throw new Error(
          `Canary ${this.name}: not ${typeof phase === 'string' ? phase : 'in the expected phase'} after ${timeoutMs} ms; phases seen: ${this.phases.join(' → ')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** Events about the Canary, oldest first, as "Reason: message". */
  async events(): Promise<string[]> {
    const events = await this.#kube.list<CoreV1Event>(
      { apiVersion: 'v1', kind: 'Event' },
      FUNCTIONS_NAMESPACE,
    );
    return events
      .filter((e) => e.involvedObject?.kind === 'Canary' && e.involvedObject.name === this.name)
      .sort((a, b) => time(a) - time(b))
      .map((e) => `${e.reason}: ${e.message}`);
  }

  stop(): void {
    this.#cache.stop();
  }
}

function time(event: CoreV1Event): number {
  const at =
    event.lastTimestamp ??
    event.eventTime ??
    event.firstTimestamp ??
    event.metadata?.creationTimestamp;
  return at ? new Date(at).getTime() : 0;
}
