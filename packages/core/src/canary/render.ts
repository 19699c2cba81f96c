import {
  FLAGGER_API_VERSION,
  type AlertProvider,
  type Canary,
  type MetricTemplate,
} from 'flagger-types';
import { UserError } from '../errors.ts';
import { renderAlerts } from './alerts.ts';
import { renderApprovalWebhooks } from './approval-webhooks.ts';
import { renderMetrics } from './metrics.ts';
import { renderProbeWebhooks, unprobedBlueGreen } from './probe-webhooks.ts';
import type { FunctionProbe } from '../probes/types.ts';
import type { CanaryOptions } from './options.ts';
import { FLAGGER_PROVIDERS, renderService } from './routing.ts';
import { renderStrategy } from './strategy.ts';

/** Flagger's default; long enough for an image pull and a cold OpenFaaS watchdog. */
export const PROGRESS_DEADLINE_SECONDS = 600;

/** On everything Greenlight renders, so it can find (and prune) its own objects. */
export const MANAGED_BY_LABEL = { 'app.kubernetes.io/managed-by': 'greenlight' } as const;
export const FUNCTION_LABEL = 'greenlight.dev/function';
/** The Backstage entity the Canary belongs to (the Backstage plugin's one-owner rule). */
export const OWNER_ANNOTATION = 'greenlight.dev/owner';

/**
 * What Greenlight applies for one function: its Canary first, then the MetricTemplates and
 * AlertProviders it names (applied before it).
 */
export type RenderedCanary = [Canary, ...(MetricTemplate | AlertProvider)[]];

/**
 * The Canary (and, for the Gateway API provider, MetricTemplates; with alerts, an
 * AlertProvider per destination) that ship function `fn.name` with `options`; with
 * `fn.probe` (its entry of the probes file) Flagger calls greenlight-probe. Pure: the same
 * input renders the same objects, ready for server-side apply. Blue/green without a probe
 * is refused: it would have no traffic to judge.
 */
export function renderCanary(
  fn: { name: string; probe?: FunctionProbe },
  options: CanaryOptions,
): RenderedCanary {
  const name = checkedName(fn.name);
  if (options.strategy === 'blue-green' && !fn.probe) throw unprobedBlueGreen(name);
  const labels = { ...MANAGED_BY_LABEL, [FUNCTION_LABEL]: name };
  const { metrics, templates } = renderMetrics(name, options, labels);
  const { alerts, providers } = renderAlerts(name, options, labels);
  const webhooks = [...renderProbeWebhooks(fn.probe, options), ...renderApprovalWebhooks(options)];
  const canary: Canary = {
    apiVersion: FLAGGER_API_VERSION,
    kind: 'Canary',
    metadata: {
      name,
      namespace: options.namespace,
      labels,
      ...(options.owner ? { annotations: { [OWNER_ANNOTATION]: options.owner } } : {}),
    },
    spec: {
      provider: FLAGGER_PROVIDERS[options.provider],
      // Only the linkerd provider's builtin metrics read it; templates carry their own address.
      ...(options.provider === 'linkerd' && options.prometheusAddress
        ? { metricsServer: options.prometheusAddress }
        : {}),
      // faas-netes makes a Deployment per function; Flagger's target is the candidate (green).
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      progressDeadlineSeconds: PROGRESS_DEADLINE_SECONDS,
      service: renderService(name, options),
      analysis: {
        interval: options.interval,
        threshold: options.threshold,
        ...renderStrategy(options),
        metrics,
        ...(webhooks.length > 0 ? { webhooks } : {}),
        ...(alerts.length > 0 ? { alerts } : {}),
      },
    },
  };
  return [canary, ...templates, ...providers];
}

// Flagger names Services `<name>`, `<name>-canary` and `<name>-primary`; Service names are
// DNS-1035 labels of at most 63 characters, so the function name may have 55.
const SERVICE_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const MAX_NAME_LENGTH = 63 - '-primary'.length;

function checkedName(name: string): string {
  if (SERVICE_NAME.test(name) && name.length <= MAX_NAME_LENGTH) return name;
  throw new UserError(
    `function name "${name}" cannot name a Canary: Flagger derives Services "${name}-primary" and "${name}-canary" from it`,
    {
      field: `functions.${name}`,
      hint: `Use lowercase letters, digits and '-', starting with a letter, at most ${MAX_NAME_LENGTH} characters.`,
    },
  );
}
