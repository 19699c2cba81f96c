import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { checkWindow } from '@greenlight/core';
import type { MetricsSourceName } from '@greenlight/backstage-plugin-greenlight-common';
import { readSlackConfig } from './slack/slack-config.ts';
import type { SlackConfig } from './slack/slack-config.ts';

// `greenlight.*` of app-config (schema: config.d.ts), read and checked once at startup so
// that a mistake stops the backend with the key to fix, not the first page view. Type
// errors (a string where a list belongs, a missing name) are ConfigReader's, which name
// the full key too.

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
  /** This cluster's Prometheus; absent: greenlight.prometheus.url. */
  prometheusUrl?: string;
}

export interface GreenlightConfig {
  clusters: ClusterConfig[];
  prometheus?: { url: string; timeoutMs?: number };
  metricsSource: MetricsSourceName;
  window: string;
  /** Absent: nothing is posted to Slack. */
  slack?: SlackConfig;
}

export function readGreenlightConfig(config: Config): GreenlightConfig {
  const root = config.getOptionalConfig('greenlight');
  const clusters = (root?.getOptionalConfigArray('clusters') ?? []).map(readCluster);
  if (clusters.length === 0) {
    throw new InputError(
      'greenlight.clusters is empty: add the cluster Flagger runs in (a kubeconfig file, inCluster: true, or url and token)',
    );
  }
  clusters.forEach(({ name }, index) => {
    const first = clusters.findIndex((cluster) => cluster.name === name);
    if (first !== index) {
      throw new InputError(
        `greenlight.clusters[${index}].name "${name}" is already the name of greenlight.clusters[${first}]; names must differ (the greenlight.dev/cluster annotation picks a cluster by name)`,
      );
    }
  });

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
  if (url !== undefined)
    checkHttpUrl('greenlight.prometheus.url', url, 'http://prometheus.linkerd-viz:9090');
  const timeoutMs = root?.getOptionalNumber('prometheus.timeoutMs');
  if (timeoutMs !== undefined && !(timeoutMs > 0)) {
    throw new InputError(
      `greenlight.prometheus.timeoutMs is ${timeoutMs}; give a positive number of milliseconds, e.g. 10000`,
    );
  }
  const slack = readSlackConfig(config);
  slack?.channels.forEach((route, index) => {
    if (route.cluster !== undefined && !clusters.some(({ name }) => name === route.cluster)) {
      throw new InputError(
        `greenlight.slack.channels[${index}].cluster "${route.cluster}" is not in greenlight.clusters (known: ${clusters.map(({ name }) => name).join(', ')})`,
      );
    }
  });
  return {
    clusters,
    ...(slack ? { slack } : {}),
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
    prometheusUrl: cluster.getOptionalString('prometheusUrl'),
  };
  const ways = (['kubeconfig', 'inCluster', 'url'] as const).filter((way) => read[way]);
  if (ways.length !== 1) {
    const given = ways.length === 0 ? 'none' : ways.map((way) => `${key}.${way}`).join(' and ');
    throw new InputError(
      `${key} ("${name}") must give exactly one of kubeconfig, inCluster: true, or url (with token); it gives ${given}`,
    );
  }
  // Settings of another way would be ignored without a word; say so instead.
  const belongs = { context: 'kubeconfig', token: 'url', caData: 'url', skipTLSVerify: 'url' };
  for (const [setting, way] of Object.entries(belongs) as [keyof typeof belongs, string][]) {
    if (read[setting] !== undefined && read[setting] !== false && ways[0] !== way) {
      throw new InputError(
        `${key}.${setting} applies only with ${key}.${way}; remove it, or reach "${name}" through ${way}`,
      );
    }
  }
  if (read.url !== undefined)
    checkHttpUrl(`${key}.url`, read.url, 'https://kubernetes.example.com:6443');
  if (read.prometheusUrl !== undefined)
    checkHttpUrl(`${key}.prometheusUrl`, read.prometheusUrl, 'http://prometheus.linkerd-viz:9090');
  return read;
}

// The value is not echoed: a URL may carry credentials (user:password@host).
function checkHttpUrl(key: string, value: string, example: string): void {
  let protocol: string | undefined;
  try {
    protocol = new URL(value).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new InputError(`${key} is not an http(s) URL; give one such as ${example}`);
  }
}
