import type { Canary } from 'flagger-types';
import { nextStepWeight, TOTAL_WEIGHT } from 'flagger-types';
import { copyingMessage, dotted } from './messages.ts';
import type { MeshRouter } from './router.ts';
import type { SchedulerDeps } from './scheduler-deps.ts';

// The strategies' steps of Flagger's scheduler.go: a canary's weight step (runCanary), a
// blue/green iteration (runBlueGreen), and the return of all traffic to the primary once
// promoted (runPromotionTrafficShift).

/** runCanary: one step up, or at max weight the promotion gate and the copy to primary. */
export async function runCanary(
  d: SchedulerDeps,
  cd: Canary,
  router: MeshRouter,
  canaryWeight: number,
  primaryWeight: number,
  max: number,
) {
  const { events, status, deployments } = d;
  const namespace = cd.metadata.namespace;
  if (canaryWeight < max) {
    const step = nextStepWeight(cd, canaryWeight);
    const nextPrimary = Math.max(0, primaryWeight - step);
    const nextCanary = Math.min(TOTAL_WEIGHT, canaryWeight + step);
    try {
      await router.setRoutes(cd, nextPrimary, nextCanary);
      await status.weight(cd, nextCanary);
    } catch (error) {
      return events.warn(cd, (error as Error).message);
    }
    await events.info(
      cd,
      `Advance ${dotted(cd.metadata.name, namespace)} canary weight ${nextCanary}`,
    );
    return;
  }
  if (!(await d.hooks.confirmPromotion(cd))) return;
  await events.info(cd, copyingMessage(cd));
  try {
    await deployments.promote(cd);
    await status.phase(cd, 'Promoting');
  } catch (error) {
    await events.warn(cd, (error as Error).message);
  }
}

/**
 * runBlueGreen: `iterations` analysis runs with all traffic on the primary (a load tester
 * feeds the canary), then the promotion gate, all traffic to the canary, and the copy.
 */
export async function runBlueGreen(d: SchedulerDeps, cd: Canary, router: MeshRouter) {
  const { events, status, deployments } = d;
  const wanted = cd.spec.analysis?.iterations ?? 0;
  const done = cd.status?.iterations ?? 0;
  if (wanted > done) {
    try {
      await status.iterations(cd, done + 1);
    } catch (error) {
      return events.warn(cd, (error as Error).message);
    }
    await events.info(
      cd,
      `Advance ${dotted(cd.metadata.name, cd.metadata.namespace)} canary iteration ${done + 1}/${wanted}`,
    );
    return;
  }
  if (!(await d.hooks.confirmPromotion(cd))) return;
  if (wanted === done) {
    await events.info(cd, 'Routing all traffic to canary');
    try {
      await router.setRoutes(cd, 0, TOTAL_WEIGHT);
      await status.iterations(cd, done + 1);
    } catch (error) {
      await events.warn(cd, (error as Error).message);
    }
    return;
  }
  await events.info(cd, copyingMessage(cd));
  try {
    await deployments.promote(cd);
    await status.phase(cd, 'Promoting');
  } catch (error) {
    await events.warn(cd, (error as Error).message);
  }
}

/** runPromotionTrafficShift without stepWeightPromotion: all traffic back to the primary at once. */
export async function promotionTrafficShift(d: SchedulerDeps, cd: Canary, router: MeshRouter) {
  const { events, status } = d;
  if (cd.spec.analysis?.stepWeightPromotion) {
    await events.warn(
      cd,
      'analysis.stepWeightPromotion is not simulated by the Greenlight sandbox; routing all traffic to primary',
    );
  }
  await events.info(cd, 'Routing all traffic to primary');
  try {
    await router.setRoutes(cd, TOTAL_WEIGHT, 0);
    await status.phase(cd, 'Finalising');
  } catch (error) {
    await events.warn(cd, (error as Error).message);
  }
}
