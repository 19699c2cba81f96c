import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  FleetResponse,
  MarkResponse,
  MetricsResponse,
  RolloutResponse,
} from '@greenlight/backstage-plugin-greenlight-common';

/** Which rollout: the Canary, and where the request comes from. */
export interface RolloutRef {
  namespace: string;
  name: string;
  /** `greenlight.dev/cluster`, when the entity names one. */
  cluster?: string;
  /** The entity page the user is on; its permissions decide. */
  entityRef?: string;
}

/** The Greenlight backend, as the plugin's components use it. */
export interface GreenlightApi {
  fleet(options?: { window?: string }): Promise<FleetResponse>;
  rollout(ref: RolloutRef): Promise<RolloutResponse>;
  metrics(ref: RolloutRef, options?: { window?: string }): Promise<MetricsResponse>;
  approve(ref: RolloutRef, revision: string): Promise<MarkResponse>;
  abort(ref: RolloutRef, revision: string): Promise<MarkResponse>;
  /** Bring back `revision`, one recorded as promoted (the view's `rollbackTo`). */
  rollback(ref: RolloutRef, revision: string): Promise<MarkResponse>;
}

export const greenlightApiRef = createApiRef<GreenlightApi>({ id: 'plugin.greenlight.service' });
