import type { Canary } from 'flagger-types';
import { analysisThreshold, TOTAL_WEIGHT } from 'flagger-types';
import { dotted, withPhase } from './messages.ts';
import type { MeshRouter } from './router.ts';
import type { SchedulerDeps } from './scheduler-deps.ts';

// The ways a run of Flagger's scheduler.go ends a rollout early: rollback, a promotion
// whose primary broke (handleFailedPromotion), and `skipAnalysis` (shouldSkipAnalysis).

/** rollback: all traffic to the primary, the canary scaled to zero, phase Failed. */
export async function rollback(d: SchedulerDeps, cd: Canary, router: MeshRouter) {
  const { events, status, deployments } = d;
  const id = dotted(cd.metadata.name, cd.metadata.namespace);
  const failedChecks = cd.status?.failedChecks ?? 0;
  if (failedChecks >= analysisThreshold(cd)) {
    await events.warn(cd, `Rolling back ${id} failed checks threshold reached ${failedChecks}`);
  }
  try {
    await router.setRoutes(cd, TOTAL_WEIGHT, 0);
  } catch (error) {
    return events.warn(cd, (error as Error).message);
  }
  await events.warn(withPhase(cd, 'Failed'), `Canary failed! Scaling down ${id}`);
  try {
    await deployments.scaleToZero(cd);
  } catch (error) {
    return events.warn(cd, (error as Error).message);
  }
  try {
    await status.sync(cd, { phase: 'Failed', canaryWeight: 0 });
  } catch {
    return; // Flagger only logs this one
  }
  await d.hooks.postRollout(cd, 'Failed');
}

/** handleFailedPromotion: the primary broke mid-promotion; all traffic to the canary. */
export async function handleFailedPromotion(
  d: SchedulerDeps,
  cd: Canary,
  router: MeshRouter,
  error: string,
) {
  const { events, status } = d;
  await events.warn(
    cd,
    `Promotion of ${dotted(cd.spec.targetRef.name, cd.metadata.namespace)} failed, primary not ready: ${error}`,
  );
  try {
    await router.setRoutes(cd, 0, TOTAL_WEIGHT);
    await status.sync(cd, { phase: 'Failed', canaryWeight: TOTAL_WEIGHT });
  } catch (failure) {
    await events.warn(cd, (failure as Error).message);
    return;
  }
  await d.hooks.postRollout(cd, 'Failed');
}

/** shouldSkipAnalysis with `skipAnalysis: true`: promote at once. */
export async function skipAnalysis(d: SchedulerDeps, cd: Canary, router: MeshRouter) {
  const { events, status, deployments } = d;
  const target = cd.spec.targetRef.name;
  try {
    await router.setRoutes(cd, TOTAL_WEIGHT, 0);
    await events.info(
      cd,
      `Copying ${dotted(target, cd.metadata.namespace)} template spec to ${target}-primary.${cd.metadata.namespace}`,
    );
    await deployments.promote(cd);
    await deployments.scaleToZero(cd);
    await status.phase(cd, 'Succeeded');
  } catch (error) {
    return events.warn(cd, (error as Error).message);
  }
  const succeeded = withPhase(cd, 'Succeeded');
  await d.hooks.postRollout(succeeded, 'Succeeded');
  await events.info(
    succeeded,
    `Promotion completed! Canary analysis was skipped for ${dotted(target, cd.metadata.namespace)}`,
  );
}
