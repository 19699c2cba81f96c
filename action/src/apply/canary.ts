// The Flagger objects for one function, server-side applied (field manager `greenlight`).
import type { KubernetesObject } from '@kubernetes/client-node';
import { FLAGGER_API_VERSION, type Canary } from 'flagger-types';
import {
  renderCanary,
  type CanaryOptions,
  type FunctionProbe,
  type KubeClient,
} from '@greenlight/core';

export async function applyCanary(
  kube: KubeClient,
  name: string,
  options: CanaryOptions,
  probe?: FunctionProbe,
): Promise<Canary> {
  const [canary, ...templates] = renderCanary({ name, ...(probe ? { probe } : {}) }, options);
  // MetricTemplates and AlertProviders first: the Canary never names one that is not there yet.
  for (const template of templates) await kube.apply(template as KubernetesObject);
  // An abort left on the Canary needs no clearing: it rolls back the run it was given for,
  // never a re-deploy of the same revision (core approval/analysis.ts abortApplies) — and
  // the deploy credential may not write abort annotations (the gate chart's policy).
  const applied = (await kube.apply(canary as KubernetesObject)) as Canary;
  // As the API server answered: its status tells where Flagger stands before this deploy.
  return applied;
}

export async function canaryExists(
  kube: KubeClient,
  namespace: string,
  name: string,
): Promise<boolean> {
  return (
    (await kube.get({ apiVersion: FLAGGER_API_VERSION, kind: 'Canary', namespace, name })) !==
    undefined
  );
}
