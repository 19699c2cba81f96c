import type { Canary, CanaryMetric, MetricTemplate } from 'flagger-types';
import { FLAGGER_API_VERSION } from 'flagger-types';
import {
  LINKERD_LATENCY_P99_QUERY,
  LINKERD_SUCCESS_RATE_QUERY,
  type KubeClient,
} from '@greenlight/core';
import { DEFAULT_METRIC_INTERVAL } from 'flagger-types';
import { dotted } from './messages.ts';
import { formatGoDuration, scaledWindow } from './durations.ts';
import type { EventRecorder } from './events.ts';
import { isOnline, NoValuesFound, runQuery } from './prometheus.ts';
import { metricModel, renderQuery } from './render-query.ts';

// The metric checks of an analysis step (pkg/controller/scheduler_metrics.go): Flagger's
// builtin `request-success-rate` and `request-duration` through the mesh's observer, then
// every metric with a `templateRef` through its MetricTemplate's Prometheus. Each failed
// check records Flagger's Event ("Halt chatbot.openfaas-fn advancement success rate
// 82.00% < 99%") and fails the step. Only Prometheus templates and the Linkerd observer
// are simulated: in a Linkerd mesh other observers' metrics do not exist, so they report
// "no values found", which is why Greenlight renders MetricTemplates for the Gateway API.

export interface CheckOptions {
  /** Flagger's `-metrics-server`, unless the Canary sets `spec.metricsServer`. */
  metricsServer: string;
  /** Flagger's `-mesh-provider`. */
  meshProvider: string;
  /** Metric windows are divided by it, as the analysis interval is (see controller.ts). */
  speed: number;
}

export class MetricChecks {
  readonly #kube: KubeClient;
  readonly #events: EventRecorder;
  readonly #options: CheckOptions;

  constructor(kube: KubeClient, events: EventRecorder, options: CheckOptions) {
    this.#kube = kube;
    this.#events = events;
    this.#options = options;
  }

  /** checkMetricProviderAvailability, run while initializing; throws what is unavailable. */
  async providersAvailable(canary: Canary): Promise<void> {
    for (const metric of canary.spec.analysis?.metrics ?? []) {
      if (isBuiltin(metric)) {
        try {
          await isOnline(this.#server(canary));
        } catch (error) {
          throw new Error(`prometheus not avaiable: ${(error as Error).message}`, { cause: error });
        }
        continue;
      }
      if (!metric.templateRef) continue;
      const { template, namespace } = await this.#template(canary, metric);
      if (!template) {
        throw new Error(
          `metric template ${metric.templateRef.name}.${namespace} error: metrictemplate.flagger.app "${metric.templateRef.name}" not found`,
        );
      }
      try {
        await isOnline(template.spec.provider.address ?? '');
      } catch (error) {
        throw new Error(
          `${template.spec.provider.type} in metric template ${template.metadata.name}.${template.metadata.namespace} not avaiable: ${(error as Error).message}`,
          { cause: error },
        );
      }
    }
    await this.#events.info(canary, 'all the metrics providers are available!');
  }

  /** runBuiltinMetricChecks. */
  async builtin(canary: Canary): Promise<boolean> {
    const provider = this.#metricsProvider(canary);
    const id = dotted(canary.metadata.name, canary.metadata.namespace);
    const targetId = dotted(canary.spec.targetRef.name, canary.metadata.namespace);
    for (const metric of canary.spec.analysis?.metrics ?? []) {
      if (metric.query && !(await this.#inline(canary, metric, metric.query))) return false;
      if (!isBuiltin(metric)) continue;
      const query =
        metric.name === 'request-success-rate'
          ? LINKERD_SUCCESS_RATE_QUERY
          : LINKERD_LATENCY_P99_QUERY;
      let value: number;
      try {
        // Only the Linkerd observer has metrics in a Linkerd mesh (see above).
        if (provider !== 'linkerd') throw new NoValuesFound();
        const model = metricModel(canary, this.#window(metric), metric.templateVariables);
        value = await runQuery(this.#server(canary), renderQuery(query, model));
      } catch (error) {
        if (error instanceof NoValuesFound) {
          const suffix =
            metric.name === 'request-success-rate'
              ? `: running query failed: ${error.message}`
              : '';
          await this.#events.warn(
            canary,
            `Halt advancement no values found for ${provider} metric ${metric.name} probably ${targetId} is not receiving traffic${suffix}`,
          );
        } else {
          await this.#events.error(
            canary,
            `Prometheus query failed: running query failed: ${(error as Error).message}`,
          );
        }
        return false;
      }
      const failure =
        metric.name === 'request-success-rate'
          ? successRateFailure(metric, value)
          : durationFailure(metric, value);
      if (failure) {
        await this.#events.warn(canary, `Halt ${id} advancement ${failure}`);
        return false;
      }
    }
    return true;
  }

  /** In-line PromQL (`metric.query`), against the same Prometheus as the builtins. */
  async #inline(canary: Canary, metric: CanaryMetric, template: string): Promise<boolean> {
    let value: number;
    try {
      const model = metricModel(canary, this.#window(metric), metric.templateVariables);
      value = await runQuery(this.#server(canary), renderQuery(template, model));
    } catch (error) {
      if (error instanceof NoValuesFound) {
        await this.#events.warn(
          canary,
          `Halt advancement no values found for metric: ${metric.name}`,
        );
      } else {
        await this.#events.error(
          canary,
          `Prometheus query failed for ${metric.name}: ${(error as Error).message}`,
        );
      }
      return false;
    }
    const failure = rangeFailure(metric, value);
    if (failure) {
      await this.#events.warn(
        canary,
        `Halt ${dotted(canary.metadata.name, canary.metadata.namespace)} advancement ${failure}`,
      );
      return false;
    }
    return true;
  }

  /** runMetricChecks: the metrics with a templateRef. */
  async templates(canary: Canary): Promise<boolean> {
    const id = dotted(canary.metadata.name, canary.metadata.namespace);
    for (const metric of canary.spec.analysis?.metrics ?? []) {
      if (!metric.templateRef) {
        if (!isBuiltin(metric) && !metric.query) {
          await this.#events.error(
            canary,
            'Metric query failed for no usable metrics template and query were configured',
          );
          return false;
        }
        continue;
      }
      const { template, namespace } = await this.#template(canary, metric);
      const ref = `${metric.templateRef.name}.${namespace}`;
      if (!template) {
        await this.#events.error(
          canary,
          `Metric template ${ref} error: metrictemplate.flagger.app "${metric.templateRef.name}" not found`,
        );
        return false;
      }
      if (template.spec.provider.type !== 'prometheus') {
        await this.#events.error(
          canary,
          `Metric template ${ref} provider ${template.spec.provider.type} error: not simulated by the Greenlight sandbox`,
        );
        return false;
      }
      let query: string;
      try {
        query = renderQuery(
          template.spec.query,
          metricModel(canary, this.#window(metric), metric.templateVariables),
        );
      } catch (error) {
        await this.#events.error(
          canary,
          `Metric template ${ref} query render error: ${(error as Error).message}`,
        );
        return false;
      }
      let value: number;
      try {
        value = await runQuery(template.spec.provider.address ?? '', query);
      } catch (error) {
        if (error instanceof NoValuesFound) {
          await this.#events.warn(
            canary,
            `Halt advancement no values found for custom metric: ${metric.name}: ${error.message}`,
          );
        } else {
          await this.#events.error(
            canary,
            `Metric query failed for ${metric.name}: ${(error as Error).message}`,
          );
        }
        return false;
      }
      const failure = rangeFailure(metric, value);
      if (failure) {
        await this.#events.warn(canary, `Halt ${id} advancement ${failure}`);
        return false;
      }
    }
    return true;
  }

  /**
   * The observer Flagger picks: the Canary's provider, but Linkerd's whenever Flagger's own
   * -mesh-provider is Linkerd (runBuiltinMetricChecks).
   */
  #metricsProvider(canary: Canary): string {
    const mesh = this.#options.meshProvider;
    if (!canary.spec.provider) return mesh;
    return mesh.includes('linkerd') ? 'linkerd' : canary.spec.provider;
  }

  #server(canary: Canary): string {
    return canary.spec.metricsServer || this.#options.metricsServer;
  }

  #window(metric: CanaryMetric): string {
    const interval = metric.interval || DEFAULT_METRIC_INTERVAL;
    return this.#options.speed === 1 ? interval : scaledWindow(interval, this.#options.speed);
  }

  async #template(canary: Canary, metric: CanaryMetric) {
    const ref = metric.templateRef as { name: string; namespace?: string };
    const namespace = ref.namespace || canary.metadata.namespace || '';
    const template = await this.#kube.get<MetricTemplate>({
      apiVersion: FLAGGER_API_VERSION,
      kind: 'MetricTemplate',
      namespace,
      name: ref.name,
    });
    return { template, namespace };
  }
}

function isBuiltin(metric: CanaryMetric): boolean {
  return metric.name === 'request-success-rate' || metric.name === 'request-duration';
}

/** `%.2f%%` and `%v%%`, as Flagger prints a success rate and its threshold. */
function successRateFailure(metric: CanaryMetric, value: number): string | undefined {
  const range = metric.thresholdRange;
  const shown = `success rate ${value.toFixed(2)}%`;
  if (range) {
    if (range.min !== undefined && value < range.min) return `${shown} < ${range.min}%`;
    if (range.max !== undefined && value > range.max) return `${shown} > ${range.max}%`;
    return undefined;
  }
  const threshold = metric.threshold ?? 0;
  return threshold > value ? `${shown} < ${threshold}%` : undefined;
}

/** Flagger truncates the p99 to whole milliseconds and prints Go durations. */
function durationFailure(metric: CanaryMetric, valueMs: number): string | undefined {
  const ms = Math.trunc(valueMs);
  const shown = `request duration ${formatGoDuration(ms)}`;
  const range = metric.thresholdRange;
  if (range) {
    if (range.min !== undefined && ms < range.min)
      return `${shown} < ${formatGoDuration(range.min)}`;
    if (range.max !== undefined && ms > range.max)
      return `${shown} > ${formatGoDuration(range.max)}`;
    return undefined;
  }
  const threshold = metric.threshold ?? 0;
  return ms > threshold ? `${shown} > ${formatGoDuration(threshold)}` : undefined;
}

/** `%s %.2f < %v` for template metrics. */
function rangeFailure(metric: CanaryMetric, value: number): string | undefined {
  const shown = `${metric.name} ${value.toFixed(2)}`;
  const range = metric.thresholdRange;
  if (range) {
    if (range.min !== undefined && value < range.min) return `${shown} < ${range.min}`;
    if (range.max !== undefined && value > range.max) return `${shown} > ${range.max}`;
    return undefined;
  }
  const threshold = metric.threshold ?? 0;
  return value > threshold ? `${shown} > ${threshold}` : undefined;
}
