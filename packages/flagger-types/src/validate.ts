import { z } from 'zod';
import { AlertProviderSchema, type AlertProvider } from './alert-provider.ts';
import { CanarySchema, type Canary } from './canary.ts';
import { HTTPRouteSchema, type HTTPRoute } from './http-route.ts';
import { MetricTemplateSchema, type MetricTemplate } from './metric-template.ts';
import { TrafficSplitSchema, type TrafficSplit } from './traffic-split.ts';

/** One problem, at a path like `spec.analysis.webhooks[0].url`. */
export interface ValidationIssue {
  path: string;
  message: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

export const validateCanary = (obj: unknown): ValidationResult<Canary> =>
  validate(CanarySchema, obj);
export const validateMetricTemplate = (obj: unknown): ValidationResult<MetricTemplate> =>
  validate(MetricTemplateSchema, obj);
export const validateAlertProvider = (obj: unknown): ValidationResult<AlertProvider> =>
  validate(AlertProviderSchema, obj);
export const validateTrafficSplit = (obj: unknown): ValidationResult<TrafficSplit> =>
  validate(TrafficSplitSchema, obj);
export const validateHTTPRoute = (obj: unknown): ValidationResult<HTTPRoute> =>
  validate(HTTPRouteSchema, obj);

/** Parses `obj` with any schema of this package and reports issues with dotted paths. */
export function validate<S extends z.ZodType>(
  schema: S,
  obj: unknown,
): ValidationResult<z.output<S>> {
  const result = schema.safeParse(obj, { error: plainMessage });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, issues: result.error.issues.flatMap(toIssues) };
}

/** One issue a line: `spec.analysis.stepWeight: must be between 1 and 100`. */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map(({ path, message }) => (path ? `${path}: ${message}` : message)).join('\n');
}

/** Dotted path with bracketed indices: `['spec', 'metrics', 0, 'name']` → `spec.metrics[0].name`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    return text ? `${text}.${String(key)}` : String(key);
  }, '');
}

function toIssues(issue: z.core.$ZodIssue): ValidationIssue[] {
  if (issue.code === 'unrecognized_keys') {
    // The apiserver would prune these silently, so say so instead of letting a typo vanish.
    return issue.keys.map((key) => ({
      path: formatPath([...issue.path, key]),
      message: 'is not a field of this object in the CRD; check its spelling',
    }));
  }
  return [{ path: formatPath(issue.path), message: issue.message }];
}

// Zod's default messages, rephrased for people; schema-level messages take precedence.
function plainMessage(issue: z.core.$ZodRawIssue): string | undefined {
  const missing = issue.input === undefined;
  switch (issue.code) {
    case 'invalid_type':
      if (missing) return 'is required';
      return issue.expected === 'int' ? 'must be an integer' : `must be ${article(issue.expected)}`;
    case 'invalid_value':
      if (missing) return 'is required';
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'must not be empty';
      if (issue.origin === 'array') return `must have at least ${issue.minimum} item(s)`;
      if (issue.origin === 'string') return `must be at least ${issue.minimum} characters`;
      return `must be at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'array') return `must have at most ${issue.maximum} items`;
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      return `must be at most ${issue.maximum}`;
    case 'invalid_union':
      if (missing) return 'is required';
      return 'matches none of the allowed shapes';
    default:
      return undefined;
  }
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);
