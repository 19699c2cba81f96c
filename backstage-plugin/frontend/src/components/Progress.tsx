import { Box, LinearProgress, Typography } from '@material-ui/core';
import type { RolloutView } from '@greenlight/backstage-plugin-greenlight-common';

/** How far the analysis got: steps (canary) or iterations (blue/green). */
export function StepProgress({ rollout }: { rollout: RolloutView }) {
  const { current, total } = rollout.step;
  const unit = rollout.strategy === 'blue-green' ? 'Iteration' : 'Step';
  return (
    <Box>
      <Typography variant="body2">
        {unit} {current} of {total}
      </Typography>
      <LinearProgress
        variant="determinate"
        value={total > 0 ? Math.min(100, (current / total) * 100) : 0}
        aria-label={`${unit} ${current} of ${total}`}
      />
    </Box>
  );
}

/** Failed checks against the threshold at which Flagger rolls back. */
export function FailedChecks({ rollout }: { rollout: RolloutView }) {
  const { failedChecks, threshold } = rollout;
  const color = failedChecks === 0 ? 'textSecondary' : 'error';
  return (
    <Typography variant="body2" color={color}>
      {failedChecks} of {threshold} failed checks (Flagger rolls back at {threshold})
    </Typography>
  );
}
