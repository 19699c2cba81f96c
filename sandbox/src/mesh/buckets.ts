// The `le` bounds of the Linkerd proxy's `response_latency_ms` histogram, in milliseconds
// (linkerd2-proxy, `latency::BOUNDS`), followed by the implicit +Inf bucket. Prometheus and
// Flagger interpolate p99 inside these buckets, so the mesh counts in the same ones.
export const LATENCY_BOUNDS_MS: readonly number[] = [
  1, 2, 3, 4, 5, 10, 20, 30, 40, 50, 100, 200, 300, 400, 500, 1_000, 2_000, 3_000, 4_000, 5_000,
  10_000, 20_000, 30_000, 40_000, 50_000,
];
