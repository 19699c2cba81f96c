import { z } from 'zod';
import { CANARY_PHASES } from './constants.ts';

// Canary status as Flagger writes it (pkg/apis/flagger/v1beta1/status.go). Lenient: unknown
// keys pass through, because a newer Flagger may add some and Greenlight only reads status.

/** One condition; the CRD requires type, status and reason. Flagger writes one, `Promoted`. */
export const CanaryConditionSchema = z.looseObject({
  type: z.string(),
  status: z.enum(['True', 'False', 'Unknown']),
  reason: z.string(),
  message: z.string().optional(),
  lastUpdateTime: z.string().optional(),
  lastTransitionTime: z.string().optional(),
});
export type CanaryCondition = z.infer<typeof CanaryConditionSchema>;

export const CanaryStatusSchema = z.looseObject({
  // The CRD enum allows "" for a Canary Flagger has not picked up yet.
  phase: z.enum(['', ...CANARY_PHASES]).optional(),
  failedChecks: z.number().optional(),
  // Reads 0 in WaitingPromotion although traffic stays at max weight: read live weights
  // from the TrafficSplit / HTTPRoute.
  canaryWeight: z.number().optional(),
  iterations: z.number().optional(),
  trackedConfigs: z.record(z.string(), z.string()).optional(),
  // A hash computed by Flagger's Go code; compare it, never recompute it.
  lastAppliedSpec: z.string().optional(),
  lastPromotedSpec: z.string().optional(),
  lastTransitionTime: z.string().optional(),
  conditions: z.array(CanaryConditionSchema).optional(),
});
export type CanaryStatus = z.infer<typeof CanaryStatusSchema>;
