import { Grid, Typography } from '@material-ui/core';
import { InfoCard, MissingAnnotationEmptyState } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { CANARY_ANNOTATION } from '@greenlight/backstage-plugin-greenlight-common';
import { greenlightApiRef } from '../api/GreenlightApi.ts';
import type { RolloutRef } from '../api/GreenlightApi.ts';
import { ApprovalBanner } from './ApprovalBanner.tsx';
import { GoldenMetrics } from './GoldenMetrics.tsx';
import { History } from './History.tsx';
import { ProbeRuns } from './ProbeRuns.tsx';
import { RollbackButton } from './RollbackButton.tsx';
import { RolloutSummary } from './RolloutSummary.tsx';
import { ErrorState, Loading, NoCanary, statusOf, Unowned } from './states.tsx';
import { slugOf, rolloutRefOf } from './entity-annotations.ts';
import { namesCanary, useLive } from './useLive.ts';
import { usePolling } from './usePolling.ts';

/** The "Rollout" tab of an entity annotated `greenlight.dev/canary`. */
export function EntityGreenlightContent() {
  const { entity } = useEntity();
  const rolloutRef = rolloutRefOf(entity);
  if (!rolloutRef) return <MissingAnnotationEmptyState annotation={CANARY_ANNOTATION} />;
  return <RolloutPage rolloutRef={rolloutRef} slug={slugOf(entity)} />;
}

function RolloutPage({ rolloutRef, slug }: { rolloutRef: RolloutRef; slug?: string }) {
  const api = useApi(greenlightApiRef);
  const key = `${rolloutRef.cluster ?? ''}/${rolloutRef.namespace}/${rolloutRef.name}`;
  const rollout = useLive(
    () => api.rollout(rolloutRef),
    key,
    (signal) => namesCanary(rolloutRef, signal),
  );
  // Prometheus's series change with no signal: they are polled.
  const metrics = usePolling(() => api.metrics(rolloutRef), key);
  const id = `${rolloutRef.namespace}/${rolloutRef.name}`;

  if (rollout.loading) return <Loading />;
  if (!rollout.value) {
    if (statusOf(rollout.error) === 404) return <NoCanary id={id} />;
    return <ErrorState error={rollout.error as Error} retry={rollout.reload} />;
  }
  const { rollout: view, history, probes, freshness, ownership } = rollout.value;
  return (
    <Grid container spacing={3}>
      {(rollout.error || !freshness.synced) && (
        <Grid item xs={12}>
          <Typography variant="body2" color="error">
            Showing the last known state:{' '}
            {rollout.error?.message ?? freshness.problem ?? 'the cluster watch is reconnecting'}.
          </Typography>
        </Grid>
      )}
      <Grid item xs={12}>
        {ownership?.owner === null ? (
          <Unowned claimants={ownership.claimants} />
        ) : (
          <>
            <ApprovalBanner rollout={view} rolloutRef={rolloutRef} onDone={rollout.reload} />
            <RollbackButton rollout={view} rolloutRef={rolloutRef} onDone={rollout.reload} />
          </>
        )}
      </Grid>
      <Grid item xs={12} md={7}>
        <InfoCard
          title={`Rollout of ${id}`}
          subheader={`cluster ${freshness.cluster} · ${view.provider}`}
        >
          <RolloutSummary rollout={view} slug={slug} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={5}>
        <InfoCard title="History">
          <History history={history} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Chat probes" subheader="Per revision, the last probe run">
          <ProbeRuns probes={probes ?? []} slug={slug} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Golden metrics">
          {metrics.value ? (
            <GoldenMetrics metrics={metrics.value} />
          ) : metrics.loading ? (
            <Loading />
          ) : (
            <ErrorState
              error={metrics.error as Error}
              retry={metrics.reload}
              title="Golden metrics are unavailable"
            />
          )}
        </InfoCard>
      </Grid>
    </Grid>
  );
}
