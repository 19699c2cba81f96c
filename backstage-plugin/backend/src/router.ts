import type { AuditorService, HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { abort, approve, checkWindow, refKey } from '@greenlight/core';
import type { MarkOptions, MarkResult, KubeClient, CanaryRef } from '@greenlight/core';
import {
  rolloutAbortPermission,
  rolloutApprovePermission,
  rolloutReadPermission,
} from '@greenlight/backstage-plugin-greenlight-common';
import type {
  FleetResponse,
  MarkResponse,
  RolloutResponse,
} from '@greenlight/backstage-plugin-greenlight-common';
import type { RolloutAccess } from './service/access.ts';
import { requestBodyError, writeError } from './service/errors.ts';
import { metricsRefOf } from './service/metrics-service.ts';
import type { MetricsService } from './service/metrics-service.ts';
import type { RolloutCache } from './service/rollout-cache.ts';

export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  access: RolloutAccess;
  rollouts: RolloutCache;
  metrics: MetricsService;
  /** The default window of golden metrics, e.g. `5m`. */
  window: string;
}

type Mark = (kube: KubeClient, ref: CanaryRef, options: MarkOptions) => Promise<MarkResult>;

/** The plugin's HTTP API under /api/greenlight (types in the -common package). */
export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { httpAuth, auditor, access, rollouts, metrics, logger } = options;
  const router = Router();
  router.use(express.json());
  router.use(
    (error: unknown, _req: express.Request, _res: express.Response, next: express.NextFunction) =>
      next(requestBodyError(error)),
  );

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/rollouts', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const window = windowOf(req.query.window, options.window);
    const fleet = await rollouts.fleet();
    const { allowed, unlisted } = await access.readable(
      credentials,
      rolloutReadPermission,
      fleet.rollouts.map((found) => ({ ...idOf(found), found })),
    );
    const refs = allowed.map(({ found }) => metricsRefOf(found.canary));
    const golden = await metrics.fleet(refs, window);
    const body: FleetResponse = {
      items: allowed.map(({ found, entityRef }, index) => ({
        cluster: found.cluster.name,
        rollout: found.view,
        entityRef,
        metrics: golden.metrics?.get(refKey(refs[index]!)) ?? null,
      })),
      unlisted,
      clusters: fleet.freshness,
      metricsSource: metrics.sourceName,
      ...(golden.problem ? { metricsProblem: golden.problem } : {}),
    };
    res.json(body);
  });

  router.get('/rollouts/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const found = await rollouts.find(req.params.namespace, req.params.name, cluster(req));
    await access.check(
      credentials,
      rolloutReadPermission,
      idOf(found),
      entityRefOf(req.query.entityRef),
    );
    const body: RolloutResponse = {
      rollout: found.view,
      history: rollouts.history(found),
      freshness: found.cluster.freshness(),
    };
    res.json(body);
  });

  router.get('/rollouts/:namespace/:name/metrics', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const window = windowOf(req.query.window, options.window);
    const found = await rollouts.find(req.params.namespace, req.params.name, cluster(req));
    await access.check(
      credentials,
      rolloutReadPermission,
      idOf(found),
      entityRefOf(req.query.entityRef),
    );
    res.json(await metrics.detail(found.canary, window));
  });

  const markRoute = (verb: 'approve' | 'abort', mark: Mark) =>
    router.post(`/rollouts/:namespace/:name/${verb}`, async (req, res) => {
      const { namespace, name } = req.params;
      const permission = verb === 'approve' ? rolloutApprovePermission : rolloutAbortPermission;
      const auditEvent = await auditor.createEvent({
        eventId: `rollout-${verb}`,
        severityLevel: 'medium',
        request: req,
        meta: { canary: `${namespace}/${name}` },
      });
      // Who asked and for which revision, as soon as known: a refusal is audited with them too.
      const asked: { by?: string; revision?: string } = {};
      try {
        // Only a person approves or rolls back: `by` is their entity ref, never a service's.
        const credentials = await httpAuth.credentials(req, { allow: ['user'] });
        const by = credentials.principal.userEntityRef;
        asked.by = by;
        const body = (req.body ?? {}) as { revision?: unknown; entityRef?: unknown };
        if (typeof body.revision === 'string') asked.revision = body.revision;
        if (typeof body.revision !== 'string' || !body.revision.trim()) {
          throw new InputError(
            `say which revision to ${verb}: send {"revision": "<the revision under analysis>"}, so that a newer deploy is never ${verb === 'approve' ? 'approved' : 'rolled back'} by mistake`,
          );
        }
        const found = await rollouts.find(namespace, name, cluster(req));
        const entityRef = await access.check(
          credentials,
          permission,
          idOf(found),
          entityRefOf(body.entityRef),
        );
        let result: MarkResult;
        try {
          result = await mark(
            found.cluster.kube,
            { namespace, name },
            { revision: body.revision, by },
          );
        } catch (error) {
          throw writeError(error, found.cluster.name);
        }
        const response: MarkResponse = {
          revision: result.revision,
          by,
          // The patched Canary with the Deployments as the cache has them.
          rollout: found.cluster.view(result.canary as typeof found.canary),
        };
        if (!result.recorded) {
          logger.warn(
            `${by} ${verb === 'approve' ? 'approved' : 'aborted'} revision ${result.revision} of Canary ${namespace}/${name}, but the Kubernetes API refused the Event that records it`,
          );
        }
        await auditEvent.success({
          meta: { revision: result.revision, by, cluster: found.cluster.name, entityRef },
        });
        logger.info(
          `${by} ${verb === 'approve' ? 'approved' : 'aborted'} revision ${result.revision} of Canary ${namespace}/${name}`,
        );
        res.json(response);
      } catch (error) {
        await auditEvent.fail({ error: error as Error, meta: asked });
        throw error;
      }
    });
  markRoute('approve', approve);
  markRoute('abort', abort);

  return router;
}

function idOf(found: { cluster: { name: string }; view: { namespace: string; name: string } }) {
  return { cluster: found.cluster.name, namespace: found.view.namespace, name: found.view.name };
}

function cluster(req: express.Request): string | undefined {
  const value = req.query.cluster;
  return typeof value === 'string' && value ? value : undefined;
}

function entityRefOf(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

function windowOf(value: unknown, fallback: string): string {
  if (value === undefined || value === '') return fallback;
  try {
    return checkWindow(String(value));
  } catch {
    throw new InputError(
      `window "${String(value)}" is not a Prometheus duration; use e.g. 5m or 1h`,
    );
  }
}
