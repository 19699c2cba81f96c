import { z } from 'zod';

// The Prometheus HTTP API's envelope (prometheus.io/docs/prometheus/latest/querying/api/):
// `{status: "success", data: {resultType, result}, warnings?}` or
// `{status: "error", errorType, error}`. Sample values are strings so that "NaN",
// "+Inf" and "-Inf" survive JSON; they become null here, as does an empty result.

const sample = z.tuple([z.number(), z.string()]);
const labels = z.record(z.string(), z.string());

const vector = z.object({
  resultType: z.literal('vector'),
  result: z.array(z.object({ metric: labels, value: sample })),
});
const matrix = z.object({
  resultType: z.literal('matrix'),
  result: z.array(z.object({ metric: labels, values: z.array(sample) })),
});

export const prometheusResponseSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('success'),
    data: z.discriminatedUnion('resultType', [
      vector,
      matrix,
      z.object({ resultType: z.enum(['scalar', 'string']), result: z.unknown() }),
    ]),
    warnings: z.array(z.string()).optional(),
  }),
  z.object({
    status: z.literal('error'),
    errorType: z.string().optional(),
    error: z.string().optional(),
  }),
]);

export type PrometheusResponse = z.infer<typeof prometheusResponseSchema>;
/** The `data` of a successful answer. */
export type PrometheusData = Extract<PrometheusResponse, { status: 'success' }>['data'];
export type VectorData = z.infer<typeof vector>;
export type MatrixData = z.infer<typeof matrix>;

/** One labelled value of an instant query. */
export interface LabelledValue {
  labels: Record<string, string>;
  value: number | null;
}

/** One labelled series of a range query. */
export interface LabelledSeries {
  labels: Record<string, string>;
  points: { t: number; v: number | null }[];
}

/** A sample string as a finite number, or null for "NaN", "+Inf", "-Inf" and garbage. */
export function sampleValue(text: string): number | null {
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) ? value : null;
}

export function vectorValues(data: VectorData): LabelledValue[] {
  return data.result.map(({ metric, value }) => ({ labels: metric, value: sampleValue(value[1]) }));
}

export function matrixSeries(data: MatrixData): LabelledSeries[] {
  return data.result.map(({ metric, values }) => ({
    labels: metric,
    points: values.map(([t, v]) => ({ t, v: sampleValue(v) })),
  }));
}
