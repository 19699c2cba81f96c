import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { RolloutCache } from './service/rollout-cache.ts';

// How a backend module of the greenlight plugin follows the rollouts the plugin watches
// (its notifications module): the watches are the plugin's, made in its init, which runs
// after every module's; a module hands in what to do with them once they exist.

export interface GreenlightRolloutsExtensionPoint {
  /** `follow` gets the plugin's rollouts during the plugin's init, before the backend starts. */
  addFollower(follow: (rollouts: RolloutCache) => void): void;
}

export const greenlightRolloutsExtensionPoint =
  createExtensionPoint<GreenlightRolloutsExtensionPoint>({ id: 'greenlight.rollouts' });
