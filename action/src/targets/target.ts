// The seam between "an image for a function" and "the function runs it": the target
// Deployment through the Kubernetes API (kubernetes.ts), or the OpenFaaS gateway
// (openfaas.ts), which updates the same Deployment through faas-netes.
import type { StackFunction } from '@greenlight/core';

export interface Target {
  readonly name: string;
  /**
   * Points the function at `image` and stamps it with `revision`. Resolves to whether that
   * changed the function (a new rollout starts) or it already ran exactly this.
   */
  update(fn: StackFunction, namespace: string, image: string, revision: string): Promise<boolean>;
}
