import { Grid, Typography } from '@material-ui/core';
import type { RolloutView } from '@greenlight/backstage-plugin-greenlight-common';
import { Phase } from './Phase.tsx';
import { FailedChecks, StepProgress } from './Progress.tsx';
import { Revision } from './Revision.tsx';
import { WeightBar } from './WeightBar.tsx';

/** Phase, revisions, weights, progress and failed checks of one rollout. */
export function RolloutSummary({ rollout, slug }: { rollout: RolloutView; slug?: string }) {
  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        <Phase rollout={rollout} />
        <Typography
          variant="body2"
          color={rollout.verdict === 'failed' ? 'error' : 'textSecondary'}
        >
          {rollout.reason}
        </Typography>
      </Grid>
      <Grid item xs={12} sm={6}>
        <Typography variant="body2">
          Green (under analysis): <Revision revision={rollout.revision} slug={slug} />
        </Typography>
        <Typography variant="body2">
          Blue (promoted): <Revision revision={rollout.promotedRevision} slug={slug} />
        </Typography>
      </Grid>
      <Grid item xs={12} sm={6}>
        <StepProgress rollout={rollout} />
        <FailedChecks rollout={rollout} />
      </Grid>
      <Grid item xs={12}>
        <WeightBar weights={rollout.weights} />
      </Grid>
    </Grid>
  );
}
