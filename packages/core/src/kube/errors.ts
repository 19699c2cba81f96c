// Kubernetes failures as errors a person can act on: the verb, the object and what the API
// said. The message never carries the request's headers or credentials (client-node's own
// ApiException prints response headers and the whole body).
import { ApiException } from '@kubernetes/client-node';

export interface KubeErrorSubject {
  kind: string;
  namespace?: string;
  name?: string;
}

export class KubeApiError extends Error {
  /** The HTTP status, when the API answered. */
  readonly code?: number;
  /** The Status reason, e.g. `NotFound`, `Conflict`, `Forbidden`, `Expired`. */
  readonly reason?: string;

  constructor(message: string, details: { code?: number; reason?: string; cause?: unknown }) {
    super(message, { cause: details.cause });
    this.name = 'KubeApiError';
    this.code = details.code;
    this.reason = details.reason;
  }
}

/** `could not patch Canary apps/web: canaries.flagger.app "web" not found (404 NotFound)`. */
export function kubeError(verb: string, subject: KubeErrorSubject, err: unknown): KubeApiError {
  const what = describeSubject(subject);
  if (err instanceof ApiException) {
    const status = parseStatus(err.body);
    const reason = status?.reason;
    const detail = status?.message ?? `HTTP ${err.code}`;
    return new KubeApiError(
      `could not ${verb} ${what}: ${detail} (${err.code}${reason ? ` ${reason}` : ''})`,
      { code: err.code, reason },
    );
  }
  const message = isErrorLike(err) ? causeMessage(err) : String(err);
  return new KubeApiError(`could not ${verb} ${what}: ${message}`, {});
}

export function describeSubject({ kind, namespace, name }: KubeErrorSubject): string {
  const id = [namespace, name].filter(Boolean).join('/');
  return id ? `${kind} ${id}` : kind;
}

function parseStatus(body: unknown): { message?: string; reason?: string } | undefined {
  let value: unknown = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return body.trim() ? { message: body.trim().slice(0, 300) } : undefined;
    }
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { message, reason } = value as { message?: unknown; reason?: unknown };
  return {
    message: typeof message === 'string' ? message : undefined,
    reason: typeof reason === 'string' ? reason : undefined,
  };
}

/** fetch says only `fetch failed`; the reason (ECONNREFUSED, a TLS failure) is its cause. */
function causeMessage(err: { message: string; cause?: unknown }): string {
  // Duck-typed: errors raised inside Node's fetch may come from another realm.
  const cause = (err.cause ?? {}) as { message?: unknown };
  const reason = typeof cause.message === 'string' && cause.message ? cause.message : undefined;
  if (err.message.includes('fetch failed') && reason) {
    return `cannot reach the Kubernetes API (${reason})`;
  }
  return err.message;
}

function isErrorLike(err: unknown): err is { message: string; cause?: unknown } {
  return typeof err === 'object' && err !== null && typeof (err as Error).message === 'string';
}
