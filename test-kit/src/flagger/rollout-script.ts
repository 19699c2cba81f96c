// One rollout, played as Flagger would play it, writing straight to the API (Flagger is not
// behind the fault proxy; Greenlight is). Its plan decides how it ends; a promotion waits,
// as Flagger's confirm-promotion webhook does, until the gate answers 200.
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeClient } from '@greenlight/core';
import type { FlaggerWrites } from './status-writer.ts';

export type Plan = 'succeeds' | 'fails' | 'superseded' | 'unfinished';

export interface RolloutScript {
  kube: KubeClient;
  flagger: FlaggerWrites;
  namespace: string;
  name: string;
  /** Approves the revision under analysis; may fail (it goes through the faults) and is retried. */
  approve(): Promise<void>;
  /** Whether the gate, asked as Flagger asks it, opens promotion now. */
  gateOpens(): Promise<boolean>;
  /** Between Flagger's steps. */
  stepMs: number;
}

/** The action's deploy: the target now runs `revision` (before the action starts to follow). */
export async function deployRevision(
  kube: KubeClient,
  namespace: string,
  name: string,
  revision: string,
) {
  await stamp({ kube, namespace, name }, revision);
}

/** Flagger's part of a rollout of rev-1, which the target already runs. */
export async function playRollout(plan: Plan, s: RolloutScript): Promise<void> {
  const { flagger, name } = s;
  const step = () => sleep(s.stepMs);
  await step();
  switch (plan) {
    case 'succeeds': {
      await flagger.analyse(name, [10, 30, 50]);
      await flagger.status(name, 'WaitingPromotion', { canaryWeight: 0 });
      await s.approve();
      // Flagger asks confirm-promotion once per interval until it passes.
      const deadline = Date.now() + 20_000;
      while (!(await s.gateOpens())) {
        if (Date.now() > deadline)
          throw new Error(`the gate never opened for ${s.namespace}/${name}: approval lost`);
        await sleep(50);
      }
      await flagger.promote(name, 'rev-1');
      return;
    }
    case 'fails':
      await flagger.analyse(name, [10, 20]);
      await step();
      await flagger.fail(name);
      return;
    case 'superseded':
      await flagger.analyse(name, [10]);
      await step();
      await stamp(s, 'rev-2'); // a newer merge's deploy
      await flagger.weights(name, 0);
      await flagger.status(name, 'Progressing', { canaryWeight: 0 });
      return;
    case 'unfinished':
      await flagger.analyse(name, [10, 20]);
      await flagger.status(name, 'WaitingPromotion', { canaryWeight: 0 });
      return;
  }
}

async function stamp(
  s: Pick<RolloutScript, 'kube' | 'namespace' | 'name'>,
  revision: string,
): Promise<void> {
  await s.kube.mergePatch(
    { apiVersion: 'apps/v1', kind: 'Deployment', namespace: s.namespace, name: s.name },
    { spec: { template: { metadata: { annotations: { 'greenlight.dev/revision': revision } } } } },
  );
}
