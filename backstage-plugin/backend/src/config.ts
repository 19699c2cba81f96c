import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { checkWindow } from '@greenlight/core';
import type { MetricsSourceName } from '@greenlight/backstage-plugin-greenlight-common';

// `greenlight.*` of app-config (schema: config.d.ts), read and checked once at startup so
// that a mistake stops the backend with the key to fix, not the first page view.

export interface ClusterConfig {
  name: string;
  kubeconfig?: string;
  context?: string;
  inCluster?: boolean;
  url?: string;
  token?: string;
  caData?: string;
  skipTLSVerify?: boolean;
  /** Empty: every namespace. */
  namespaces: string[];
}

export interface GreenlightConfig {
  clusters: ClusterConfig[];
  prometheus?: { url: string; timeoutMs?: number };
  metricsSource: MetricsSourceName;
  window: string;
}

export function readGreenlightConfig(config: Config): GreenlightConfig {
  const root = config.getOptionalConfig('greenlight');
  const clusters = (root?.getOptionalConfigArray('clusters') ?? []).map(readCluster);
  if (clusters.length === 0) {
    throw new InputError(
      'greenlight.clusters is empty: add the cluster Flagger runs in (a kubeconfig file, inCluster: true, or url and token)',
    );
  }
  const names = clusters.map((cluster) => cluster.name);
  const twice = names.find((name, index) => names.indexOf(name) !== index);
  if (twice) throw new InputError(`greenlight.clusters names "${twice}" twice; names must differ`);

  const source = root?.getOptionalString('metrics.source') ?? 'prometheus';
  if (source !== 'prometheus' && source !== 'sandbox') {
    throw new InputError(`greenlight.metrics.source is "${source}"; use "prometheus" or "sandbox"`);
  }
  const window = root?.getOptionalString('metrics.window') ?? '5m';
  try {
    checkWindow(window);
  } catch {
    throw new InputError(
      `greenlight.metrics.window "${window}" is not a Prometheus duration such as 5m`,
    );
  }
  const url = root?.getOptionalString('prometheus.url');
  const timeoutMs = root?.getOptionalNumber('prometheus.timeoutMs');
  return {
    clusters,
    ...(url ? { prometheus: { url, ...(timeoutMs ? { timeoutMs } : {}) } } : {}),
    metricsSource: source,
    window,
  };
}

function readCluster(cluster: Config, index: number): ClusterConfig {
  const key = `greenlight.clusters[${index}]`;
  const name = cluster.getString('name');
  const read = {
    name,
    kubeconfig: cluster.getOptionalString('kubeconfig'),
    context: cluster.getOptionalString('context'),
    inCluster: cluster.getOptionalBoolean('inCluster'),
    url: cluster.getOptionalString('url'),
    token: cluster.getOptionalString('token'),
    caData: cluster.getOptionalString('caData'),
    skipTLSVerify: cluster.getOptionalBoolean('skipTLSVerify'),
    namespaces: cluster.getOptionalStringArray('namespaces') ?? [],
  };
  const ways = [read.kubeconfig, read.inCluster, read.url].filter(Boolean).length;
  if (ways !== 1) {
    throw new InputError(
      `${key} ("${name}") must give exactly one of kubeconfig, inCluster: true, or url (with token)`,
    );
  }
  return read;
}
