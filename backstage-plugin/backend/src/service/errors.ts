import { ConflictError, CustomErrorBase, InputError, NotFoundError } from '@backstage/errors';
import { KubeApiError, UserError } from '@greenlight/core';
import { MetricsUnavailableError as CoreMetricsUnavailableError } from '@greenlight/core';
import { ERROR_NAMES } from '@greenlight/backstage-plugin-greenlight-common';

// Failures of what the backend depends on, as errors Backstage's error handler turns into
// JSON bodies (`{error: {name, message}, response: {statusCode}}`); the frontend tells
// them apart by name and shows the message, which says what to check.

/** The Kubernetes API cannot be read or written (503). */
export class KubernetesUnavailableError extends CustomErrorBase {
  override name = ERROR_NAMES.kubernetesUnavailable;
  readonly statusCode = 503;
}

/** Prometheus cannot answer (503); the rollout itself is still readable. */
export class MetricsUnavailableError extends CustomErrorBase {
  override name = ERROR_NAMES.metricsUnavailable;
  readonly statusCode = 503;
}

/**
 * An error from writing an approval, abort or rollback through core, as an HTTP error: a
 * refusal of core's (another revision under analysis, an aborted revision, no earlier
 * revision recorded) is a 409 with core's
 * message and hint; the API's own answers keep their meaning.
 */
export function writeError(error: unknown, cluster: string): Error {
  if (error instanceof UserError) return new ConflictError(error.message);
  if (error instanceof KubeApiError) {
    if (error.code === 404) return new NotFoundError(error.message);
    if (error.code === 409) return new ConflictError(error.message);
    return kubernetesUnavailable(error, cluster);
  }
  return error instanceof Error ? error : new Error(String(error));
}

export function kubernetesUnavailable(error: KubeApiError | Error, cluster: string): Error {
  const code = (error as KubeApiError).code;
  const hint =
    code === 401 || code === 403
      ? `Give the credentials of cluster "${cluster}" the Greenlight role (get, list, watch Canaries, Deployments, TrafficSplits, HTTPRoutes and Events; patch Canaries; create Events; patch the target Deployments, to roll back)`
      : `Check greenlight.clusters["${cluster}"] in app-config and that the API server is reachable from Backstage`;
  return new KubernetesUnavailableError(`${error.message}. ${hint}.`);
}

export function metricsUnavailable(error: unknown): Error {
  if (error instanceof CoreMetricsUnavailableError) {
    return new MetricsUnavailableError(
      `${error.message} Check greenlight.prometheus.url in app-config.`,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** A request body over express.json's limit (413). */
export class RequestTooLargeError extends CustomErrorBase {
  readonly statusCode = 413;
}

const BODY = 'send {"revision": "<the revision under analysis>"} as application/json';

/**
 * express.json's refusals (body-parser errors carry a `type`) as errors that say what to
 * send; body-parser's own messages ("Unexpected token…", "request entity too large") do not.
 */
export function requestBodyError(error: unknown): unknown {
  const { type, limit } = (error ?? {}) as { type?: unknown; limit?: unknown };
  if (type === 'entity.parse.failed') {
    return new InputError(
      `the request body is not valid JSON (${(error as Error).message}); ${BODY}`,
    );
  }
  if (type === 'entity.too.large') {
    return new RequestTooLargeError(
      `the request body is over the ${String(limit)}-byte limit; ${BODY}, nothing more`,
    );
  }
  return error;
}
