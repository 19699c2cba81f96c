import type { Canary } from 'flagger-types';

// Flagger's mesh router interface (pkg/router/router.go): make the route object, read its
// weights, set them. One file per provider, as in pkg/router/; router-factory.ts picks one.

export interface Routes {
  primaryWeight: number;
  canaryWeight: number;
  /** Traffic mirroring is not simulated; always false. */
  mirrored: boolean;
}

export interface MeshRouter {
  reconcile(canary: Canary): Promise<void>;
  getRoutes(canary: Canary): Promise<Routes>;
  setRoutes(canary: Canary, primaryWeight: number, canaryWeight: number): Promise<void>;
}
