import {
  Box,
  Grid,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import type {
  GoldenSignals,
  MetricsResponse,
  Threshold,
} from '@greenlight/backstage-plugin-greenlight-common';
import { format, SeriesChart } from './SeriesChart.tsx';

type Signal = keyof GoldenSignals;

const SIGNALS: { signal: Signal; title: string; unit: string }[] = [
  { signal: 'successRate', title: 'Success rate', unit: '%' },
  { signal: 'rps', title: 'Requests', unit: 'req/s' },
  { signal: 'p50Ms', title: 'Latency p50', unit: 'ms' },
  { signal: 'p95Ms', title: 'Latency p95', unit: 'ms' },
  { signal: 'p99Ms', title: 'Latency p99', unit: 'ms' },
];

function thresholdOf(thresholds: Threshold[], signal: Signal) {
  const found = thresholds.find((threshold) => threshold.signal === signal);
  if (!found) return undefined;
  if (found.min !== undefined)
    return { value: found.min, label: `analysis needs ≥ ${found.min}`, min: found.min };
  if (found.max !== undefined)
    return { value: found.max, label: `analysis needs ≤ ${found.max}`, max: found.max };
  return undefined;
}

function breaches(value: number | null, threshold: { min?: number; max?: number } | undefined) {
  if (value === null || !threshold) return false;
  return (
    (threshold.min !== undefined && value < threshold.min) ||
    (threshold.max !== undefined && value > threshold.max)
  );
}

/** Linkerd's golden signals, blue beside green: the values now, then each over the window. */
export function GoldenMetrics({ metrics }: { metrics: MetricsResponse }) {
  const { current, series, thresholds } = metrics;
  return (
    <Box>
      {metrics.source === 'sandbox' && (
        <Typography variant="caption" color="textSecondary">
          Synthetic metrics from the Greenlight sandbox, not from a real mesh.
        </Typography>
      )}
      <Table size="small" aria-label="Golden metrics">
        <TableHead>
          <TableRow>
            <TableCell>Signal (last {current.window})</TableCell>
            <TableCell align="right">Blue (primary)</TableCell>
            <TableCell align="right">Green (canary)</TableCell>
            <TableCell>Analysis threshold</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {SIGNALS.map(({ signal, title, unit }) => {
            const threshold = thresholdOf(thresholds, signal);
            const green = current.green[signal];
            return (
              <TableRow key={signal}>
                <TableCell>
                  {title} ({unit})
                </TableCell>
                <TableCell align="right">{format(current.blue[signal])}</TableCell>
                <TableCell
                  align="right"
                  style={
                    breaches(green, threshold) ? { color: '#e53935', fontWeight: 600 } : undefined
                  }
                >
                  {format(green)}
                </TableCell>
                <TableCell>{threshold?.label ?? ''}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      <Grid container spacing={2} style={{ marginTop: 8 }}>
        {SIGNALS.map(({ signal, title, unit }) => (
          <Grid item xs={12} md={6} lg={4} key={signal}>
            <SeriesChart
              title={title}
              unit={unit}
              blue={series.blue[signal]}
              green={series.green[signal]}
              threshold={thresholdOf(thresholds, signal)}
            />
          </Grid>
        ))}
      </Grid>
    </Box>
  );
}
