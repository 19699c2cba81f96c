import { useState } from 'react';
import {
  Box,
  Checkbox,
  FormControlLabel,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@material-ui/core';
import { Content, EmptyState, Header, InfoCard, Page } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { FleetItem } from '@greenlight/backstage-plugin-greenlight-common';
import { greenlightApiRef } from '../api/GreenlightApi.ts';
import { Phase } from './Phase.tsx';
import { format } from './SeriesChart.tsx';
import { ErrorState, Loading } from './states.tsx';
import { useLive } from './useLive.ts';

function matches(item: FleetItem, filter: string): boolean {
  const text = filter.trim().toLowerCase();
  if (!text) return true;
  const { rollout } = item;
  return [
    rollout.namespace,
    rollout.name,
    rollout.phase,
    item.cluster,
    item.entityRef,
    rollout.revision,
  ]
    .filter(Boolean)
    .some((field) => String(field).toLowerCase().includes(text));
}

/** Every chatbot's rollout with phase and golden metrics, filterable. */
export function GreenlightFleetContent() {
  const api = useApi(greenlightApiRef);
  // Any Canary's change may change the list.
  const fleet = useLive(
    () => api.fleet(),
    'fleet',
    () => true,
  );
  const [filter, setFilter] = useState('');
  const [onlyWaiting, setOnlyWaiting] = useState(false);

  if (fleet.loading) return <Loading />;
  if (!fleet.value)
    return (
      <ErrorState
        error={fleet.error as Error}
        retry={fleet.reload}
        title="Greenlight could not load the rollouts"
      />
    );
  const { items, unlisted, metricsProblem } = fleet.value;
  if (items.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No rollouts to show"
        description={`Greenlight found no Canary you may see.${unlisted ? ` ${unlisted} Canaries have no catalog entity: add the greenlight.dev/canary annotation to their catalog-info.yaml.` : ' Deploy a chatbot with Greenlight, and annotate its entity with greenlight.dev/canary.'}`}
      />
    );
  }
  const shown = items.filter(
    (item) => matches(item, filter) && (!onlyWaiting || item.rollout.waitingForApproval),
  );
  return (
    <InfoCard title={`Rollouts (${shown.length} of ${items.length})`}>
      <Box display="flex" alignItems="center" mb={2}>
        <TextField
          label="Filter"
          placeholder="name, namespace, phase, cluster"
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
          inputProps={{ 'aria-label': 'Filter rollouts' }}
        />
        <FormControlLabel
          style={{ marginLeft: 16 }}
          control={
            <Checkbox
              checked={onlyWaiting}
              onChange={(event) => setOnlyWaiting(event.target.checked)}
            />
          }
          label="Waiting for approval"
        />
      </Box>
      {metricsProblem && (
        <Typography variant="body2" color="error" paragraph>
          Metrics are unavailable: {metricsProblem.message}
        </Typography>
      )}
      <Table size="small" aria-label="Rollouts">
        <TableHead>
          <TableRow>
            <TableCell>Chatbot</TableCell>
            <TableCell>Phase</TableCell>
            <TableCell align="right">Green weight</TableCell>
            <TableCell align="right">Success rate blue / green (%)</TableCell>
            <TableCell align="right">p99 blue / green (ms)</TableCell>
            <TableCell align="right">RPS</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {shown.map((item) => {
            const { rollout, metrics } = item;
            const total = metrics ? (metrics.blue.rps ?? 0) + (metrics.green.rps ?? 0) : null;
            return (
              <TableRow key={`${item.cluster}/${rollout.namespace}/${rollout.name}`}>
                <TableCell>
                  <EntityRefLink entityRef={item.entityRef} />
                  <Typography variant="caption" display="block" color="textSecondary">
                    {rollout.namespace}/{rollout.name} · {item.cluster}
                  </Typography>
                </TableCell>
                <TableCell>
                  <Phase rollout={rollout} />
                </TableCell>
                <TableCell align="right">{rollout.weights.green}%</TableCell>
                <TableCell align="right">
                  {metrics
                    ? `${format(metrics.blue.successRate, 2)} / ${format(metrics.green.successRate, 2)}`
                    : '–'}
                </TableCell>
                <TableCell align="right">
                  {metrics
                    ? `${format(metrics.blue.p99Ms, 0)} / ${format(metrics.green.p99Ms, 0)}`
                    : '–'}
                </TableCell>
                <TableCell align="right">{format(total)}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </InfoCard>
  );
}

/** The fleet as a page of its own (legacy apps route it; the new system wraps the content). */
export function GreenlightFleetPage() {
  return (
    <Page themeId="tool">
      <Header title="Greenlight" subtitle="Every chatbot's rollout, blue beside green" />
      <Content>
        <GreenlightFleetContent />
      </Content>
    </Page>
  );
}
