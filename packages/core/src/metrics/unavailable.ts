/**
 * The metrics backend could not answer: unreachable, an HTTP error, `status: "error"`, or
 * a body that is not the Prometheus HTTP API. Callers show "metrics unavailable" and go
 * on; a rollout view never fails because of metrics.
 */
export class MetricsUnavailableError extends Error {
  /** The backend's address, without credentials. */
  readonly url: string;
  /** The HTTP status, when there was a response. */
  readonly status?: number;
  /** Prometheus' `errorType` (`bad_data`, `timeout`, ...), when it sent one. */
  readonly errorType?: string;

  constructor(
    message: string,
    details: { url: string; status?: number; errorType?: string; cause?: unknown },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'MetricsUnavailableError';
    this.url = details.url;
    this.status = details.status;
    this.errorType = details.errorType;
  }
}
