import type { KubeConfig } from '@kubernetes/client-node';
import type { Canary } from 'flagger-types';
import { FLAGGER_API_VERSION } from 'flagger-types';
import { createKubeClient, ObjectCache } from '@greenlight/core';
import { analysisIntervalMs } from 'flagger-types';
import { CanaryStatusOps } from './canary-status-ops.ts';
import { MetricChecks } from './checks.ts';
import { DeploymentController } from './deployment-controller.ts';
import { EventRecorder, type Log } from './events.ts';
import { Hooks } from './hooks.ts';
import { Scheduler } from './scheduler.ts';
import { StatusWriter } from './status-writer.ts';

// The sandbox's Flagger: watches Canaries and runs one analysis job per Canary at its
// interval, as Flagger's scheduleCanaries/CanaryJob do (pkg/controller/controller.go,
// job.go). It talks to the Kubernetes API only over HTTP through core's KubeClient and
// ObjectCache, like a controller in its own process would.

export interface ControllerOptions {
  /** Where the API is (the sandbox's API stand-in, or any cluster). */
  kubeconfig: KubeConfig;
  /** Flagger's `-metrics-server`: the Prometheus the builtin metrics are read from. */
  metricsServer: string;
  /** Flagger's `-mesh-provider`; default `linkerd`. */
  meshProvider?: string;
  /**
   * Flagger's `-selector-labels`; default faas_function (which OpenFaaS needs, docs/design.md, "Flagger facts")
   * and Flagger's own app, name, app.kubernetes.io/name.
   */
  selectorLabels?: string[];
  /**
   * How many times faster than a cluster the sandbox runs, default 1. The analysis interval
   * (which Flagger never lets go below 10 s) and the metric windows are divided by it, so a
   * Canary rendered with `interval: 10s` runs a step a second at speed 10 and its `1m`
   * metric window spans the same six steps it would in a cluster.
   */
  speed?: number;
  /** Only this namespace's Canaries; default all. */
  namespace?: string;
  log?: Log;
}

export interface Controller {
  /** Resolves once the Canary watch has listed. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

interface Job {
  intervalMs: number;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
  stopped: boolean;
}

export function startController(options: ControllerOptions): Controller {
  const log = options.log ?? (() => undefined);
  const speed = options.speed ?? 1;
  if (!(speed > 0 && Number.isFinite(speed))) {
    throw new Error(`speed must be a positive number, got ${speed}`);
  }
  const kube = createKubeClient(options.kubeconfig);
  const events = new EventRecorder(kube, log);
  const status = new CanaryStatusOps(kube, new StatusWriter(options.kubeconfig), () => new Date());
  const meshProvider = options.meshProvider ?? 'linkerd';
  const scheduler = new Scheduler({
    kube,
    events,
    status,
    deployments: new DeploymentController(
      kube,
      options.selectorLabels ?? ['faas_function', 'app', 'name', 'app.kubernetes.io/name'],
    ),
    hooks: new Hooks(events, status),
    checks: new MetricChecks(kube, events, {
      metricsServer: options.metricsServer,
      meshProvider,
      speed,
    }),
    meshProvider,
  });

  const canaries = new ObjectCache<Canary>(options.kubeconfig, {
    apiVersion: FLAGGER_API_VERSION,
    kind: 'Canary',
    ...(options.namespace ? { namespace: options.namespace } : {}),
  });
  const jobs = new Map<string, Job>();
  let stopped = false;

  const run = async (namespace: string, name: string, job: Job) => {
    if (job.stopped || stopped) return;
    const started = Date.now();
    job.running = scheduler.advance(namespace, name).catch((error: unknown) => {
      log(`error ${name}.${namespace}: ${(error as Error).message}`);
    });
    await job.running;
    job.running = undefined;
    if (job.stopped || stopped) return;
    // A ticker: the next run an interval after this one started, or at once when late.
    const wait = Math.max(0, job.intervalMs - (Date.now() - started));
    job.timer = setTimeout(() => void run(namespace, name, job), wait);
  };

  const stopJob = (key: string) => {
    const job = jobs.get(key);
    if (!job) return;
    job.stopped = true;
    clearTimeout(job.timer);
    jobs.delete(key);
  };

  // Flagger's syncHandler and scheduleCanaries: a Canary without conditions is marked
  // Initializing; each Canary gets a job, restarted when its interval changes.
  const schedule = async (canary: Canary) => {
    const { namespace = '', name } = canary.metadata;
    const key = `${name}.${namespace}`;
    if (!canary.status?.conditions) {
      await status.initializing(canary).catch((error: unknown) => {
        log(`error ${key}: unable to set initializing status: ${(error as Error).message}`);
      });
    }
    const intervalMs = Math.max(1, Math.round(analysisIntervalMs(canary) / speed));
    const existing = jobs.get(key);
    if (existing && existing.intervalMs === intervalMs) return;
    stopJob(key);
    const job: Job = { intervalMs, stopped: false };
    jobs.set(key, job);
    void run(namespace, name, job);
  };

  canaries.onChange(({ type, object }) => {
    if (stopped) return;
    if (type === 'DELETED') return stopJob(`${object.metadata.name}.${object.metadata.namespace}`);
    void schedule(structuredClone(object));
  });
  const ready = canaries.start();

  return {
    ready,
    async stop() {
      stopped = true;
      canaries.stop();
      const running = [...jobs.values()].map((job) => job.running);
      for (const key of [...jobs.keys()]) stopJob(key);
      await Promise.all(running);
    },
  };
}
