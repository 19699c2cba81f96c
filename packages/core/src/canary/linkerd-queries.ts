// PromQL over Linkerd proxy metrics, in Flagger's template syntax: Flagger replaces
// `{{ namespace }}`, `{{ target }}` (the target Deployment, i.e. the canary) and
// `{{ interval }}` (the metric's interval) before querying. These are the queries of
// Flagger's own Linkerd observer (pkg/metrics/observers/linkerd.go), which the Gateway API
// provider does not use; Greenlight ships them as MetricTemplates for that case.

/** Percentage of inbound responses to the canary that were not failures. */
export const LINKERD_SUCCESS_RATE_QUERY = `sum(
  rate(
    response_total{
      namespace="{{ namespace }}",
      deployment=~"{{ target }}",
      classification!="failure",
      direction="inbound"
    }[{{ interval }}]
  )
)
/
sum(
  rate(
    response_total{
      namespace="{{ namespace }}",
      deployment=~"{{ target }}",
      direction="inbound"
    }[{{ interval }}]
  )
)
* 100`;

/** p99 latency in milliseconds of inbound requests to the canary. */
export const LINKERD_LATENCY_P99_QUERY = `histogram_quantile(
  0.99,
  sum(
    rate(
      response_latency_ms_bucket{
        namespace="{{ namespace }}",
        deployment=~"{{ target }}",
        direction="inbound"
      }[{{ interval }}]
    )
  ) by (le)
)`;
