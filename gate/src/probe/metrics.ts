import { Counter, Histogram, Registry } from 'prom-client';

/** The prober's own Prometheus metrics, served at GET /metrics. */
export class ProbeMetrics {
  readonly registry = new Registry();

  readonly runs = new Counter({
    name: 'greenlight_probe_runs_total',
    help: 'Probe webhook calls by phase (pre-rollout|rollout) and result (passed|failed|invalid|refused|unavailable).',
    labelNames: ['phase', 'result'] as const,
    registers: [this.registry],
  });

  readonly requests = new Counter({
    name: 'greenlight_probe_requests_total',
    help: 'Requests the prober sent to canary Services, by phase.',
    labelNames: ['phase'] as const,
    registers: [this.registry],
  });

  readonly duration = new Histogram({
    name: 'greenlight_probe_run_duration_seconds',
    help: 'Time from webhook received to answer written.',
    labelNames: ['phase'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly eventErrors = new Counter({
    name: 'greenlight_probe_event_errors_total',
    help: 'Probe runs whose Kubernetes Event could not be recorded.',
    registers: [this.registry],
  });

  readonly eventsDropped = new Counter({
    name: 'greenlight_probe_events_dropped_total',
    help: 'Probe run Events not written because the event write queue was full.',
    registers: [this.registry],
  });
}
