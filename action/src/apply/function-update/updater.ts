// How the action changes a function (the `target` input): the seam between "an image for a
// function" and "the function runs it". Either way Flagger's target Deployment changes:
// through the Kubernetes API (kubernetes.ts), or through the OpenFaaS gateway (openfaas.ts),
// which updates the same Deployment through faas-netes.
import type { StackFunction } from '@greenlight/core';

export interface FunctionUpdater {
  readonly name: string;
  /**
   * Points the function at `image` and stamps it with `revision`. Resolves to whether that
   * changed the function (a new rollout starts) or it already ran exactly this.
   */
  update(fn: StackFunction, namespace: string, image: string, revision: string): Promise<boolean>;
}
