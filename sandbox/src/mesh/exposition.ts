// The `/metrics` page in Prometheus' text exposition format (version 0.0.4), laid out as
// the Linkerd proxy lays out its own: one HELP and TYPE per family, then its samples, the
// histogram as `_bucket` (cumulative, `le` ascending, +Inf last), `_sum` and `_count`.

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** One sample of a series: its metric name, its labels and its value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Identifies a series across scrapes: its name and label set. */
export function seriesKey({ name, labels }: Pick<Sample, 'name' | 'labels'>): string {
  return `${name}${JSON.stringify(labels)}`;
}

const FAMILIES = [
  { name: 'request_total', type: 'counter', help: 'Total count of HTTP requests.' },
  { name: 'response_total', type: 'counter', help: 'Total count of HTTP responses.' },
  {
    name: 'response_latency_ms',
    type: 'histogram',
    help: "Elapsed times between a request's headers being received and its response stream completing",
  },
] as const;

export function renderExposition(samples: Sample[]): string {
  const lines: string[] = [];
  for (const family of FAMILIES) {
    const mine = samples.filter(
      (s) => s.name === family.name || s.name.startsWith(`${family.name}_`),
    );
    if (mine.length === 0) continue;
    lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`);
    lines.push(...mine.map(sampleLine));
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function sampleLine({ name, labels, value }: Sample): string {
  const pairs = Object.entries(labels).map(([label, v]) => `${label}="${escape(v)}"`);
  return `${name}{${pairs.join(',')}} ${formatValue(value)}`;
}

function escape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** A sample value as Prometheus writes it: NaN, +Inf, -Inf or a plain number. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
