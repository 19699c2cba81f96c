// Errors as the real apiserver writes them: a `Status` object whose `reason` and `code`
// clients branch on (k8s.io/apimachinery/pkg/api/errors).

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export class ApiError extends Error {
  readonly status: Status;

  constructor(code: number, reason: string, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'ApiError';
    this.status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(details ? { details } : {}),
      code,
    };
  }
}

/** What a resource is called in messages: `canaries.flagger.app "web"`. */
export interface Subject {
  /** `canaries.flagger.app`, `deployments.apps`, `services`. */
  qualified: string;
  group: string;
  plural: string;
  name: string;
}

export function notFound(s: Subject): ApiError {
  return new ApiError(404, 'NotFound', `${s.qualified} "${s.name}" not found`, details(s));
}

export function alreadyExists(s: Subject): ApiError {
  return new ApiError(
    409,
    'AlreadyExists',
    `${s.qualified} "${s.name}" already exists`,
    details(s),
  );
}

export function conflict(s: Subject): ApiError {
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${s.qualified} "${s.name}": the object has been modified; please apply your changes to the latest version and try again`,
    details(s),
  );
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

export function invalid(s: Subject, message: string): ApiError {
  return new ApiError(422, 'Invalid', `${s.qualified} "${s.name}" is invalid: ${message}`, {
    ...details(s),
  });
}

export function routeNotFound(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource');
}

export function methodNotAllowed(method: string): ApiError {
  return new ApiError(
    405,
    'MethodNotAllowed',
    `the server does not allow this method on the requested resource: ${method}`,
  );
}

export function unsupportedMediaType(contentType: string): ApiError {
  return new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got ${contentType || 'none'})`,
  );
}

export function unauthorized(): ApiError {
  return new ApiError(401, 'Unauthorized', 'Unauthorized');
}

/** What a watch from a compacted resourceVersion receives, as an ERROR event. */
export function expired(requested: string, oldest: number): ApiError {
  return new ApiError(410, 'Expired', `too old resource version: ${requested} (${oldest})`);
}

export function success(s: Subject, uid: string): Status {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { ...details(s), uid },
    code: 200,
  };
}

function details(s: Subject): StatusDetails {
  return { name: s.name, group: s.group || undefined, kind: s.plural };
}
