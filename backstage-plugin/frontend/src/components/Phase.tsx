import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import type { RolloutView } from '@greenlight/backstage-plugin-greenlight-common';

/** Flagger's phase with a status light that follows the verdict. */
export function Phase({
  rollout,
}: {
  rollout: Pick<RolloutView, 'phase' | 'verdict' | 'waitingForApproval'>;
}) {
  const text = rollout.waitingForApproval ? `${rollout.phase} (needs approval)` : rollout.phase;
  switch (rollout.verdict) {
    case 'succeeded':
      return <StatusOK>{text}</StatusOK>;
    case 'failed':
      return <StatusError>{text}</StatusError>;
    case 'superseded':
      return <StatusAborted>{text}</StatusAborted>;
    case 'idle':
      return <StatusPending>{text}</StatusPending>;
    default:
      return rollout.waitingForApproval ? (
        <StatusWarning>{text}</StatusWarning>
      ) : (
        <StatusRunning>{text}</StatusRunning>
      );
  }
}
