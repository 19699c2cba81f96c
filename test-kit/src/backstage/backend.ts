// Starts the plugin in Backstage's test backend against the stand-in cluster, with a small
// catalog plugin serving the entities that annotate the Canaries.
import { createBackendPlugin, coreServices } from '@backstage/backend-plugin-api';
import type {
  BackendFeature,
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import type { Knex } from 'knex';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import Router from 'express-promise-router';
import greenlightPlugin from '@greenlight/backstage-plugin-greenlight-backend';
import type { StandIn } from '../cluster/backstage.ts';

export function entity(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-bots' },
  };
}

/** A backend plugin `pluginId` serving the routes `mount` puts on its router. */
export function routerPlugin(pluginId: string, mount: (router: ReturnType<typeof Router>) => void) {
  return createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: { httpRouter: coreServices.httpRouter },
        async init({ httpRouter }) {
          const router = Router();
          mount(router);
          httpRouter.use(router);
        },
      });
    },
  });
}

/** The catalog's two reads Greenlight makes, over the entities given. */
function fakeCatalog(entities: Entity[]) {
  return routerPlugin('catalog', (router) => {
    router.get('/entities/by-name/:kind/:namespace/:name', (req, res) => {
      const found = entities.find(
        ({ kind, metadata }) =>
          kind.toLowerCase() === req.params.kind.toLowerCase() &&
          (metadata.namespace ?? 'default') === req.params.namespace &&
          metadata.name === req.params.name,
      );
      if (found) res.json(found);
      else res.status(404).json({ error: { name: 'NotFoundError', message: 'no such entity' } });
    });
    router.get('/entities', (req, res) => {
      const filter = String(req.query.filter ?? '');
      const annotation = filter.replace(/^metadata\.annotations\./, '');
      res.json(entities.filter((e) => e.metadata.annotations?.[annotation] !== undefined));
    });
  });
}

export interface AuditRecord {
  eventId: string;
  outcome: 'success' | 'fail';
  meta: JsonObject;
  error?: string;
}

/** An auditor service that keeps what it was told, to assert on. */
export function recordingAuditor(records: AuditRecord[]) {
  return createServiceFactory({
    service: coreServices.auditor,
    deps: {},
    factory: () => ({
      async createEvent({ eventId, meta = {} }) {
        return {
          async success(options) {
            records.push({ eventId, outcome: 'success', meta: { ...meta, ...options?.meta } });
          },
          async fail({ error, meta: more }) {
            records.push({
              eventId,
              outcome: 'fail',
              meta: { ...meta, ...more },
              error: error.message,
            });
          },
        };
      },
    }),
  });
}

/**
 * A permission policy as a function: whether `user` holds `permission` on the entity
 * `resourceRef`. Stands in for a policy such as `catalogConditions.isEntityOwner`.
 */
export type Policy = (user: string, permission: string, resourceRef: string | undefined) => boolean;

function policyPermissions(policy: Policy) {
  return createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: () =>
      ({
        async authorize(
          requests: { permission: { name: string }; resourceRef?: string }[],
          options: { credentials: BackstageCredentials },
        ) {
          const { principal } = options.credentials as BackstageCredentials<BackstageUserPrincipal>;
          const user = principal.type === 'user' ? principal.userEntityRef : '';
          return requests.map(({ permission, resourceRef }) => ({
            result: policy(user, permission.name, resourceRef)
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
          }));
        },
        async authorizeConditional() {
          throw new Error('Greenlight asks for definitive decisions only');
        },
      }) as unknown as PermissionsService,
  });
}

export interface BackendOptions {
  kubeconfig: string;
  prometheusUrl: string;
  entities: Entity[];
  permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  /** Decides each permission request instead of `permission`. */
  policy?: Policy;
  audit?: AuditRecord[];
  config?: Record<string, unknown>;
  /** The configured clusters, in order (default: "sandbox" through `kubeconfig`). */
  clusters?: { name: string; kubeconfig: string; prometheusUrl?: string }[];
  /** Backstage's database for the plugin (its Slack messages); one that outlives a backend is a restart. */
  database?: Knex;
  /** app-config beside `greenlight` (e.g. app.baseUrl, which the notifications backend needs). */
  rootConfig?: Record<string, unknown>;
  /** More plugins, modules and services in the same backend (e.g. Backstage's notifications). */
  features?: (BackendFeature | Promise<{ default: BackendFeature }>)[];
}

export async function startBackend(options: BackendOptions) {
  return (await startBackendInstance(options)).server;
}

/** The backend itself, to stop it (and start another on the same database: a restart). */
export async function startBackendInstance(options: BackendOptions) {
  return startTestBackend({
    features: [
      greenlightPlugin,
      fakeCatalog(options.entities),
      mockServices.rootConfig.factory({
        data: {
          ...options.rootConfig,
          greenlight: {
            clusters: options.clusters ?? [{ name: 'sandbox', kubeconfig: options.kubeconfig }],
            prometheus: { url: options.prometheusUrl, timeoutMs: 2000 },
            metrics: { source: 'sandbox' },
            ...options.config,
          },
        },
      }),
      options.policy
        ? policyPermissions(options.policy)
        : mockServices.permissions.factory({ result: options.permission ?? AuthorizeResult.ALLOW }),
      ...(options.audit ? [recordingAuditor(options.audit)] : []),
      ...(options.database ? [mockServices.database.factory({ knex: options.database })] : []),
      ...(options.features ?? []),
    ],
  });
}

/**
 * The backend over two stand-in clusters, production (the first configured, and the one
 * Prometheus watches) and staging, once their chatbots are deployed: both start their
 * traffic, and each user's permissions come from `policy`.
 */
export async function startTwoClusterBackend(
  production: StandIn,
  staging: StandIn,
  options: { policy: Policy; entities: Entity[] },
) {
  await production.startTraffic();
  await staging.startTraffic();
  return startBackend({
    kubeconfig: production.kubeconfig,
    clusters: [
      { name: 'production', kubeconfig: production.kubeconfig },
      { name: 'staging', kubeconfig: staging.kubeconfig },
    ],
    prometheusUrl: production.prometheus.url,
    ...options,
  });
}
