import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export type GateName = 'promotion' | 'rollback';

/** The gate's own Prometheus metrics, served at GET /metrics. */
export class GateMetrics {
  readonly registry = new Registry();

  readonly decisions = new Counter({
    name: 'greenlight_gate_decisions_total',
    help: 'Webhook decisions by gate, result (allowed|refused|invalid) and decision code.',
    labelNames: ['gate', 'result', 'code'] as const,
    registers: [this.registry],
  });

  readonly duration = new Histogram({
    name: 'greenlight_gate_decision_duration_seconds',
    help: 'Time from request received to answer written.',
    labelNames: ['gate'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25],
    registers: [this.registry],
  });

  readonly cacheSynced = new Gauge({
    name: 'greenlight_gate_cache_synced',
    help: '1 when the Canary and Deployment caches have synced; the gate refuses everything while 0.',
    registers: [this.registry],
  });

  readonly liveReads = new Counter({
    name: 'greenlight_gate_live_reads_total',
    help: 'Reads through the Kubernetes API that confirm an allow, by kind and result (found|absent|failed).',
    labelNames: ['kind', 'result'] as const,
    registers: [this.registry],
  });

  readonly eventErrors = new Counter({
    name: 'greenlight_gate_event_errors_total',
    help: 'Decisions whose Kubernetes Event could not be recorded.',
    registers: [this.registry],
  });

  readonly eventsDropped = new Counter({
    name: 'greenlight_gate_events_dropped_total',
    help: 'Decision Events not written because the event write queue was full.',
    registers: [this.registry],
  });
}
