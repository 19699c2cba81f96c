import { Box } from '@material-ui/core';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { greenlightApiRef } from '../api/GreenlightApi.ts';
import { ApprovalBanner } from './ApprovalBanner.tsx';
import { LastProbe } from './ProbeRuns.tsx';
import { RolloutSummary } from './RolloutSummary.tsx';
import { ErrorState, Loading, NoCanary, statusOf } from './states.tsx';
import { slugOf, rolloutRefOf } from './entity-annotations.ts';
import { namesCanary, useLive } from './useLive.ts';

/** The overview card: the rollout at a glance, with the approval banner. */
export function EntityGreenlightCard() {
  const { entity } = useEntity();
  const rolloutRef = rolloutRefOf(entity);
  const api = useApi(greenlightApiRef);
  const key = rolloutRef
    ? `${rolloutRef.cluster ?? ''}/${rolloutRef.namespace}/${rolloutRef.name}`
    : '';
  const rollout = useLive(
    () =>
      rolloutRef
        ? api.rollout(rolloutRef)
        : Promise.reject(new Error('no greenlight.dev/canary annotation')),
    key,
    (signal) => rolloutRef !== undefined && namesCanary(rolloutRef, signal),
  );
  const id = rolloutRef ? `${rolloutRef.namespace}/${rolloutRef.name}` : '';
  return (
    <InfoCard title="Rollout">
      {!rolloutRef ? (
        <NoCanary id="(no greenlight.dev/canary annotation)" />
      ) : rollout.loading ? (
        <Loading />
      ) : !rollout.value ? (
        statusOf(rollout.error) === 404 ? (
          <NoCanary id={id} />
        ) : (
          <ErrorState error={rollout.error as Error} retry={rollout.reload} />
        )
      ) : (
        <Box>
          <RolloutSummary rollout={rollout.value.rollout} slug={slugOf(entity)} />
          <Box mt={1}>
            <LastProbe
              probes={rollout.value.probes ?? []}
              revision={rollout.value.rollout.revision}
            />
          </Box>
          <Box mt={2}>
            <ApprovalBanner
              rollout={rollout.value.rollout}
              rolloutRef={rolloutRef}
              onDone={rollout.reload}
            />
          </Box>
        </Box>
      )}
    </InfoCard>
  );
}
