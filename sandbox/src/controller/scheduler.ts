import type { Canary, CanaryPhase, DeploymentStrategy } from 'flagger-types';
import {
  analysisThreshold,
  deploymentStrategy,
  FLAGGER_API_VERSION,
  maxWeight,
  nextStepWeight,
  skipsAnalysis,
  TOTAL_WEIGHT,
} from 'flagger-types';
import { ServiceRouter } from './initialize.ts';
import { dotted, withPhase } from './messages.ts';
import { handleFailedPromotion, rollback, skipAnalysis } from './rollback.ts';
import { promotionTrafficShift, runBlueGreen, runCanary } from './steps.ts';
import type { MeshRouter } from './router.ts';
import { meshRouter } from './router-factory.ts';
import type { SchedulerDeps } from './scheduler-deps.ts';

export type { SchedulerDeps } from './scheduler-deps.ts';

// One run of a Canary's analysis, as Flagger's advanceCanary runs it at every interval
// (pkg/controller/scheduler.go), top to bottom: make sure the primary, Services and route
// exist; spot a new revision; then per phase — start, check, step, wait for approval,
// promote, finalise, or roll back. The Canary is read once at the start; status writes
// during the run do not change what the rest of the run sees, as in Flagger.

type Strategy = DeploymentStrategy;

export class Scheduler {
  readonly #d: SchedulerDeps;

  constructor(deps: SchedulerDeps) {
    this.#d = deps;
  }

  async advance(namespace: string, name: string): Promise<void> {
    const { kube, events, deployments, status } = this.#d;
    const cd = await kube.get<Canary>({
      apiVersion: FLAGGER_API_VERSION,
      kind: 'Canary',
      namespace,
      name,
    });
    if (!cd) return;
    cd.status ??= {};
    if (cd.spec.suspend) {
      await events.info(cd, 'skipping canary run as object is suspended');
      return;
    }
    const provider = cd.spec.provider || this.#d.meshProvider;
    const phase = (): CanaryPhase | '' => cd.status?.phase ?? '';
    const initializing = () => phase() === '' || phase() === 'Initializing';

    // Services for the target's pods, named after its selector label.
    let services: ServiceRouter;
    try {
      const target = await deployments.target(cd);
      const { label, value } = deployments.selectorLabel(target);
      services = new ServiceRouter(kube, label, value);
      await services.initialize(cd);
    } catch (error) {
      return events.warn(cd, (error as Error).message);
    }

    if (!skipsAnalysis(cd) && initializing()) {
      try {
        await this.#d.checks.providersAvailable(cd);
      } catch (error) {
        await events.error(cd, `Error checking metric providers: ${(error as Error).message}`);
      }
    }

    let router: MeshRouter;
    try {
      router = meshRouter(kube, provider);
    } catch (error) {
      return events.warn(cd, (error as Error).message);
    }

    // The primary Deployment; while initializing, wait until it is ready.
    const primaryReady = await deployments.initialize(cd);
    if (!primaryReady.ready) {
      await events.warn(cd, primaryReady.error ?? 'primary not ready');
      if (!primaryReady.retriable) await rollback(this.#d, cd, router);
      return;
    }

    try {
      await services.reconcile(cd);
      if (initializing()) {
        // Only once the apex Service selects the primary's pods.
        try {
          await deployments.scaleToZero(cd);
        } catch (error) {
          return events.warn(
            cd,
            `scaling down canary Deployment ${dotted(cd.spec.targetRef.name, namespace)} failed: ${(error as Error).message}`,
          );
        }
      }
      await router.reconcile(cd);
      await this.#setPhaseInitialized(cd);
    } catch (error) {
      return events.warn(cd, (error as Error).message);
    }

    let shouldAdvance: boolean;
    try {
      shouldAdvance = await this.#shouldAdvance(cd);
    } catch (error) {
      return events.warn(cd, (error as Error).message);
    }
    if (!shouldAdvance) return;

    const max = maxWeight(cd);

    if (!skipsAnalysis(cd)) {
      const ready = await deployments.isPrimaryReady(cd);
      if (!ready.ready) {
        await events.warn(cd, ready.error ?? 'primary not ready');
        if (!ready.retriable) {
          // During promotion the canary is the only healthy copy: halt, don't roll back.
          if (phase() === 'Promoting' || phase() === 'Finalising') {
            await handleFailedPromotion(this.#d, cd, router, ready.error ?? '');
          } else {
            await rollback(this.#d, cd, router);
          }
        }
        return;
      }
    }

    let routes;
    try {
      routes = await router.getRoutes(cd);
    } catch (error) {
      return events.warn(cd, (error as Error).message);
    }
    const { primaryWeight, canaryWeight } = routes;

    if (!(await this.#checkCanaryStatus(cd, shouldAdvance))) return;

    if (await this.#hasCanaryRevisionChanged(cd)) {
      await events.info(
        cd,
        `New revision detected! Restarting analysis for ${dotted(cd.spec.targetRef.name, namespace)}`,
      );
      try {
        await router.setRoutes(cd, TOTAL_WEIGHT, 0);
      } catch (error) {
        return events.warn(cd, (error as Error).message);
      }
      try {
        await status.sync(cd, {
          phase: 'Progressing',
          canaryWeight: 0,
          failedChecks: 0,
          iterations: 0,
        });
      } catch (error) {
        await events.warn(cd, (error as Error).message);
      }
      return;
    }

    const canaryReady = await deployments.isCanaryReady(cd);
    if (!canaryReady.ready) {
      await events.warn(cd, canaryReady.error ?? 'canary not ready');
      if (!canaryReady.retriable) await rollback(this.#d, cd, router);
      return;
    }

    if (skipsAnalysis(cd)) return skipAnalysis(this.#d, cd, router);

    const current = phase();
    if (current === 'Progressing' || current === 'Waiting' || current === 'WaitingPromotion') {
      if (await this.#d.hooks.rollback(cd, current)) {
        await events.warn(
          cd,
          `Rolling back ${dotted(cd.metadata.name, namespace)} manual webhook invoked`,
        );
        return rollback(this.#d, cd, router);
      }
    }

    if (current === 'Promoting') return promotionTrafficShift(this.#d, cd, router);

    if (current === 'Finalising') {
      try {
        await deployments.scaleToZero(cd);
        await status.phase(cd, 'Succeeded');
      } catch (error) {
        return events.warn(cd, (error as Error).message);
      }
      const succeeded = withPhase(cd, 'Succeeded');
      await this.#d.hooks.postRollout(succeeded, 'Succeeded');
      await events.info(
        succeeded,
        `Promotion completed! Scaling down ${dotted(cd.spec.targetRef.name, namespace)}`,
      );
      return;
    }

    if (
      (current === 'Progressing' || current === 'WaitingPromotion') &&
      (cd.status.failedChecks ?? 0) >= analysisThreshold(cd)
    ) {
      return rollback(this.#d, cd, router);
    }

    // No traffic on the canary yet: this run starts the analysis; later runs check it.
    if (canaryWeight === 0 && (cd.status.iterations ?? 0) === 0) {
      await events.info(
        cd,
        `Starting canary analysis for ${dotted(cd.spec.targetRef.name, namespace)}`,
      );
      if (!(await this.#d.hooks.preRollout(cd))) return this.#countFailedCheck(cd);
    } else if (!(await this.#runAnalysis(cd))) {
      return this.#countFailedCheck(cd);
    }

    const strategy: Strategy = deploymentStrategy(cd);
    if (strategy === 'ab-testing') {
      return events.warn(
        cd,
        'A/B testing (analysis.match) is not simulated by the Greenlight sandbox',
      );
    }
    if (strategy === 'blue-green') return runBlueGreen(this.#d, cd, router);

    if (nextStepWeight(cd, canaryWeight) > 0) {
      // Flagger also excludes Promoting and Finalising here, which returned above already.
      if (current !== 'WaitingPromotion') {
        if (!(await this.#d.hooks.confirmTrafficIncrease(cd))) return;
      }
      await runCanary(this.#d, cd, router, canaryWeight, primaryWeight, max);
    }
  }

  /** runAnalysis: rollout webhooks, then the builtin metrics, then the templates. */
  async #runAnalysis(cd: Canary): Promise<boolean> {
    if (!(await this.#d.hooks.rollout(cd))) return false;
    if (!(await this.#d.checks.builtin(cd))) return false;
    return this.#d.checks.templates(cd);
  }

  async #countFailedCheck(cd: Canary): Promise<void> {
    try {
      await this.#d.status.failedChecks(cd, (cd.status?.failedChecks ?? 0) + 1);
    } catch (error) {
      await this.#d.events.warn(cd, (error as Error).message);
    }
  }

  /** setPhaseInitialized: the first time everything exists. */
  async #setPhaseInitialized(cd: Canary): Promise<void> {
    const phase = cd.status?.phase ?? '';
    if (phase !== '' && phase !== 'Initializing') return;
    cd.status = { ...cd.status, phase: 'Initialized' };
    try {
      await this.#d.status.sync(cd, { phase: 'Initialized' });
    } catch (error) {
      throw new Error(
        `failed to sync canary ${dotted(cd.metadata.name, cd.metadata.namespace)} status: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const fresh = await this.#d.kube.get<Canary>({
      apiVersion: FLAGGER_API_VERSION,
      kind: 'Canary',
      namespace: cd.metadata.namespace ?? '',
      name: cd.metadata.name,
    });
    // shouldAdvance compares against these, so the rest of this run must see them.
    cd.status.lastAppliedSpec = fresh?.status?.lastAppliedSpec;
    cd.status.trackedConfigs = fresh?.status?.trackedConfigs;
    await this.#d.events.info(
      cd,
      `Initialization done! ${dotted(cd.metadata.name, cd.metadata.namespace)}`,
    );
  }

  /** shouldAdvance: mid-analysis, or the target's pod template changed. */
  async #shouldAdvance(cd: Canary): Promise<boolean> {
    const phase = cd.status?.phase ?? '';
    if (['Progressing', 'Waiting', 'WaitingPromotion', 'Promoting', 'Finalising'].includes(phase)) {
      return true;
    }
    // Flagger syncs lastAppliedSpec even for a failed canary, so that revision is not retried.
    if (phase === 'Failed') {
      await this.#d.status.sync(cd, {
        phase: 'Failed',
        canaryWeight: cd.status?.canaryWeight,
        failedChecks: cd.status?.failedChecks,
        iterations: cd.status?.iterations,
      });
    }
    return this.#d.deployments.hasTargetChanged(cd);
  }

  /**
   * checkCanaryStatus: mid-analysis, go on. Otherwise a new revision: pass the
   * confirm-rollout gate, scale the target up and move to Progressing — the analysis
   * itself starts at the next run.
   */
  async #checkCanaryStatus(cd: Canary, shouldAdvance: boolean): Promise<boolean> {
    const phase = cd.status?.phase ?? '';
    if (['Progressing', 'WaitingPromotion', 'Promoting', 'Finalising'].includes(phase)) return true;
    if (!shouldAdvance) return false;
    const fresh =
      (await this.#d.kube.get<Canary>({
        apiVersion: FLAGGER_API_VERSION,
        kind: 'Canary',
        namespace: cd.metadata.namespace ?? '',
        name: cd.metadata.name,
      })) ?? cd;
    if (!(await this.#d.hooks.confirmRollout(fresh))) return false;
    await this.#d.events.info(
      withPhase(fresh, 'Progressing'),
      `New revision detected! Scaling up ${dotted(fresh.spec.targetRef.name, fresh.metadata.namespace)}`,
    );
    try {
      await this.#d.deployments.scaleFromZero(fresh);
    } catch (error) {
      await this.#d.events.error(fresh, (error as Error).message);
      return false;
    }
    try {
      await this.#d.status.sync(fresh, { phase: 'Progressing' });
    } catch {
      // Flagger only logs this one.
    }
    return false;
  }

  /** hasCanaryRevisionChanged: a new pod template while progressing or waiting for promotion. */
  async #hasCanaryRevisionChanged(cd: Canary): Promise<boolean> {
    const phase = cd.status?.phase ?? '';
    if (phase !== 'Progressing' && phase !== 'WaitingPromotion') return false;
    try {
      return await this.#d.deployments.hasTargetChanged(cd);
    } catch {
      return false;
    }
  }
}
