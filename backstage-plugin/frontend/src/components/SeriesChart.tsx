import { Typography } from '@material-ui/core';
import type { Point } from '@greenlight/backstage-plugin-greenlight-common';
import { BLUE, GREEN } from './WeightBar.tsx';

const WIDTH = 320;
const HEIGHT = 120;
const PAD = 4;

export interface SeriesChartProps {
  title: string;
  unit: string;
  blue: Point[];
  green: Point[];
  /** Drawn as a dashed line: the analysis threshold on this signal. */
  threshold?: { value: number; label: string };
}

/** One golden signal over the window, blue beside green, with its threshold. Plain SVG. */
export function SeriesChart({ title, unit, blue, green, threshold }: SeriesChartProps) {
  const points = [...blue, ...green].filter((p): p is { t: number; v: number } => p.v !== null);
  if (points.length === 0) {
    return (
      <figure aria-label={title} style={{ margin: 0 }}>
        <Typography variant="subtitle2">{title}</Typography>
        <Typography variant="body2" color="textSecondary">
          No data in this window: the chatbot had no traffic.
        </Typography>
      </figure>
    );
  }
  const ts = points.map((p) => p.t);
  const vs = points.map((p) => p.v).concat(threshold ? [threshold.value] : []);
  const [t0, t1] = [Math.min(...ts), Math.max(...ts)];
  const [v0, v1] = [Math.min(0, ...vs), Math.max(...vs) * 1.05 || 1];
  const x = (t: number) => PAD + ((t - t0) / (t1 - t0 || 1)) * (WIDTH - 2 * PAD);
  const y = (v: number) => HEIGHT - PAD - ((v - v0) / (v1 - v0 || 1)) * (HEIGHT - 2 * PAD);
  const line = (series: Point[]) =>
    series
      .filter((p) => p.v !== null)
      .map((p) => `${x(p.t).toFixed(1)},${y(p.v as number).toFixed(1)}`)
      .join(' ');
  return (
    <figure aria-label={title} style={{ margin: 0 }}>
      <Typography variant="subtitle2">
        {title} ({unit})
      </Typography>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-label={`${title} chart`}>
        <rect x={0} y={0} width={WIDTH} height={HEIGHT} fill="none" stroke="#ccc" />
        <polyline points={line(blue)} fill="none" stroke={BLUE} strokeWidth={2}>
          <title>blue</title>
        </polyline>
        <polyline points={line(green)} fill="none" stroke={GREEN} strokeWidth={2}>
          <title>green</title>
        </polyline>
        {threshold && (
          <line
            x1={PAD}
            x2={WIDTH - PAD}
            y1={y(threshold.value)}
            y2={y(threshold.value)}
            stroke="#e53935"
            strokeDasharray="4 3"
            data-testid="threshold"
          >
            <title>{threshold.label}</title>
          </line>
        )}
      </svg>
      <Typography variant="caption" color="textSecondary">
        {[`blue ${format(last(blue))}`, `green ${format(last(green))}`, threshold?.label]
          .filter(Boolean)
          .join(' · ')}
      </Typography>
    </figure>
  );
}

function last(series: Point[]): number | null {
  for (let i = series.length - 1; i >= 0; i--) if (series[i]?.v !== null) return series[i]!.v;
  return null;
}

export function format(value: number | null, digits = 1): string {
  return value === null ? '–' : value.toFixed(digits);
}
