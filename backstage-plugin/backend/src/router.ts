import type {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { ResourcePermission } from '@backstage/plugin-permission-common';
import express from 'express';
import Router from 'express-promise-router';
import { abort, approve, checkWindow, rollback } from '@greenlight/core';
import type { MarkOptions, MarkResult, KubeClient, CanaryRef } from '@greenlight/core';
import {
  rolloutAbortPermission,
  rolloutApprovePermission,
  rolloutReadPermission,
  rolloutRollbackPermission,
} from '@greenlight/backstage-plugin-greenlight-common';
import type {
  FleetResponse,
  MarkResponse,
  RolloutResponse,
} from '@greenlight/backstage-plugin-greenlight-common';
import type { RolloutAccess } from './service/access.ts';
import { requestBodyError, writeError } from './service/errors.ts';
import { clusterRefKey, clusterRefOf } from './service/metrics-service.ts';
import type { MetricsService } from './service/metrics-service.ts';
import { ownedRollout, readableFleet } from './service/ownership.ts';
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
type Verb = 'approve' | 'abort' | 'rollback';

const PERMISSIONS: Record<Verb, ResourcePermission<'catalog-entity'>> = {
  approve: rolloutApprovePermission,
  abort: rolloutAbortPermission,
  rollback: rolloutRollbackPermission,
};
/** How the log says it was done, and what the request's `revision` names. */
const DONE: Record<Verb, string> = {
  approve: 'approved',
  abort: 'aborted',
  rollback: 'rolled back to',
};
const MEANT: Record<Verb, string> = {
  approve:
    'which revision to approve: send {"revision": "<the revision under analysis>"}, so that a newer deploy is never approved by mistake',
  abort:
    'which revision to abort: send {"revision": "<the revision under analysis>"}, so that a newer deploy is never rolled back by mistake',
  rollback:
    'which revision to roll back to: send {"revision": "<the revision the button named>"}, so that nothing else is brought back by mistake',
};

// A rollback as a mark: `revision` is the recorded promotion to bring back. Always through a
// new analysis: skipping it is for an approver's CLI or action run (docs/design.md,
// "Rollback after promotion"), never a button.
const rollbackMark: Mark = (kube, ref, options) =>
  rollback(kube, ref, {
    ...(options.revision ? { to: options.revision } : {}),
    ...(options.note ? { note: options.note } : {}),
  });

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
    const { allowed, unlisted } = await readableFleet(
      access,
      credentials,
      rolloutReadPermission,
      fleet.rollouts,
    );
    const refs = allowed.map(({ found }) => clusterRefOf(found.cluster.name, found.canary));
    const golden = await metrics.fleet(refs, window);
    const body: FleetResponse = {
      items: allowed.map(({ found, entityRef, ownership }, index) => ({
        cluster: found.cluster.name,
        rollout: found.view,
        entityRef,
        ownership,
        metrics: golden.metrics?.get(clusterRefKey(refs[index]!)) ?? null,
      })),
      unlisted,
      clusters: fleet.freshness,
      metricsSource: metrics.sourceName,
      ...(golden.problem ? { metricsProblem: golden.problem } : {}),
    };
    res.json(body);
  });

  // Permission first, then the cluster (ownership.ts): the answers of a user who may not
  // see a Canary are the same whether it exists.
  const owned = (
    req: express.Request<{ namespace: string; name: string }>,
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    entityRef: unknown,
    mode: 'read' | 'mark',
  ) =>
    ownedRollout(
      { access, rollouts },
      credentials,
      permission,
      { namespace: req.params.namespace, name: req.params.name, cluster: cluster(req) },
      entityRefOf(entityRef),
      mode,
    );

  router.get('/rollouts/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const { found, ownership } = await owned(
      req,
      credentials,
      rolloutReadPermission,
      req.query.entityRef,
      'read',
    );
    const body: RolloutResponse = {
      rollout: found.view,
      ownership,
      ...rollouts.canaryEvents(found),
      freshness: found.cluster.freshness(),
    };
    res.json(body);
  });

  router.get('/rollouts/:namespace/:name/metrics', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const window = windowOf(req.query.window, options.window);
    const { found } = await owned(
      req,
      credentials,
      rolloutReadPermission,
      req.query.entityRef,
      'read',
    );
    res.json(await metrics.detail(found.cluster.name, found.canary, window));
  });

  const markRoute = (verb: Verb, mark: Mark) =>
    router.post(`/rollouts/:namespace/:name/${verb}`, async (req, res) => {
      const { namespace, name } = req.params;
      const permission = PERMISSIONS[verb];
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
          throw new InputError(`say ${MEANT[verb]}`);
        }
        // Only the Canary's owner's permission counts, and an unowned Canary is refused.
        const { found, entityRef } = await owned(
          req,
          credentials,
          permission,
          body.entityRef,
          'mark',
        );
        let result: MarkResult;
        try {
          // The signed-in user is the note; approved-by/abort-by is the backend's own
          // Kubernetes identity, which core asks the API server for.
          const markOptions = { revision: body.revision, note: `backstage:${by}` };
          result = await mark(found.cluster.kube, { namespace, name }, markOptions);
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
            `${by} ${DONE[verb]} revision ${result.revision} of Canary ${namespace}/${name}, but the Kubernetes API refused the Event that records it`,
          );
        }
        await auditEvent.success({
          meta: { revision: result.revision, by, cluster: found.cluster.name, entityRef },
        });
        logger.info(
          `${by} ${DONE[verb]} revision ${result.revision} of Canary ${namespace}/${name}`,
        );
        res.json(response);
      } catch (error) {
        await auditEvent.fail({ error: error as Error, meta: asked });
        throw error;
      }
    });
  markRoute('approve', approve);
  markRoute('abort', abort);
  markRoute('rollback', rollbackMark);

  return router;
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
