// OpenFaaS CE's function limit (docs/design.md, "OpenFaaS"). faas-netes CE counts the
// Deployments in its function namespace that carry a `faas_function` label, whatever its
// value (pkg/k8s/function_list.go: an Exists selector) — Flagger's `<fn>-primary` copies
// included, so each canaried function counts twice. Above 15 it disables every invocation
// when it starts (pkg/handlers/license.go, main.go), and it refuses a new function through
// the gateway once that would pass 15 (pkg/handlers/deploy.go).
import type { V1Deployment } from '@kubernetes/client-node';
import type { KubeClient } from '../kube/types.ts';
import { FAAS_FUNCTION_LABEL } from './objects.ts';

export const CE_MAX_FUNCTIONS = 15;
/** From here on `plan` and `status` warn. */
export const CE_WARN_FROM = 12;

/** The Deployments faas-netes CE counts, as it counts them. */
export function countedByCe(deployments: V1Deployment[]): number {
  return deployments.filter((d) => d.metadata?.labels?.[FAAS_FUNCTION_LABEL] !== undefined).length;
}

/**
 * Lists the namespace's Deployments (the credential needs `list deployments`) and warns as
 * ceLimitWarning does; `plan` and `status` of the action and the CLI all call this.
 */
export async function readCeLimitWarning(
  kube: KubeClient,
  namespace: string,
  adding = 0,
): Promise<string | undefined> {
  const deployments = await kube.list<V1Deployment>(
    { apiVersion: 'apps/v1', kind: 'Deployment' },
    namespace,
  );
  return ceLimitWarning(namespace, countedByCe(deployments), adding);
}

/**
 * The warning for `count` counted Deployments in `namespace`, or undefined below
 * CE_WARN_FROM. `adding` is how many a plan would add (two per new canaried function).
 */
export function ceLimitWarning(namespace: string, count: number, adding = 0): string | undefined {
  const total = count + adding;
  if (total < CE_WARN_FROM) return undefined;
  const change = adding > 0 ? ` (${total} with this change)` : '';
  const where =
    total > CE_MAX_FUNCTIONS
      ? 'above the limit'
      : total === CE_MAX_FUNCTIONS
        ? 'at the limit: faas-netes CE refuses any new function'
        : 'near the limit';
  return (
    `OpenFaaS CE limit: ${count} Deployments with a ${FAAS_FUNCTION_LABEL} label in ${namespace}${change} ` +
    `of the ${CE_MAX_FUNCTIONS} CE allows, ${where}. Flagger's -primary copies count too, so each ` +
    `canaried function counts twice; above ${CE_MAX_FUNCTIONS}, faas-netes CE disables every ` +
    'invocation when it next starts. Remove functions, or move to OpenFaaS Standard.'
  );
}
