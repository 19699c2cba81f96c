import { describe, expect, test } from '@jest/globals';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { readGreenlightConfig } from '../src/config.ts';

const read = (greenlight: unknown) =>
  readGreenlightConfig(new ConfigReader({ greenlight } as JsonObject));

/** The message of the error reading `greenlight` throws. */
function refusal(greenlight: unknown): string {
  try {
    read(greenlight);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the config was accepted');
}

const laptop = { name: 'laptop', kubeconfig: '/home/me/.kube/config' };

describe('valid configs', () => {
  test('a kubeconfig file with a context is read as given, every namespace watched', () => {
    expect(read({ clusters: [{ ...laptop, context: 'kind-greenlight' }] }).clusters).toEqual([
      {
        name: 'laptop',
        kubeconfig: '/home/me/.kube/config',
        context: 'kind-greenlight',
        namespaces: [],
      },
    ]);
  });

  test('in-cluster credentials need nothing but the name', () => {
    expect(read({ clusters: [{ name: 'production', inCluster: true }] }).clusters).toEqual([
      { name: 'production', inCluster: true, namespaces: [] },
    ]);
  });

  test('an API server URL carries its token, CA and TLS setting', () => {
    const staging = {
      name: 'staging',
      url: 'https://staging.k8s.example.com:6443',
      token: 'secret-token',
      caData: 'LS0tLS1CRUdJTg==',
      skipTLSVerify: false,
    };
    expect(read({ clusters: [staging] }).clusters).toEqual([{ ...staging, namespaces: [] }]);
  });

  test('a namespaces filter limits the watch to those namespaces', () => {
    const config = read({ clusters: [{ ...laptop, namespaces: ['openfaas-fn', 'bots'] }] });
    expect(config.clusters[0]!.namespaces).toEqual(['openfaas-fn', 'bots']);
  });

  test('several clusters keep their order', () => {
    const config = read({
      clusters: [laptop, { name: 'production', inCluster: true }],
    });
    expect(config.clusters.map(({ name }) => name)).toEqual(['laptop', 'production']);
  });

  test('without metrics settings: no Prometheus, the prometheus source, a 5m window', () => {
    const config = read({ clusters: [laptop] });
    expect(config.prometheus).toBeUndefined();
    expect(config.metricsSource).toBe('prometheus');
    expect(config.window).toBe('5m');
  });

  test('the Prometheus URL, its timeout, the sandbox source and a window are read', () => {
    const config = read({
      clusters: [laptop],
      prometheus: { url: 'http://prometheus.linkerd-viz:9090', timeoutMs: 2500 },
      metrics: { source: 'sandbox', window: '1h30m' },
    });
    expect(config.prometheus).toEqual({
      url: 'http://prometheus.linkerd-viz:9090',
      timeoutMs: 2500,
    });
    expect(config.metricsSource).toBe('sandbox');
    expect(config.window).toBe('1h30m');
  });

  test('a Prometheus URL without a timeout leaves the timeout to the client default', () => {
    const config = read({
      clusters: [laptop],
      prometheus: { url: 'https://prom.example.com/api' },
    });
    expect(config.prometheus).toEqual({ url: 'https://prom.example.com/api' });
  });
});

describe('bad configs name the key to fix', () => {
  test('no greenlight section, or no clusters, asks for a cluster', () => {
    for (const greenlight of [undefined, {}, { clusters: [] }]) {
      expect(refusal(greenlight)).toMatch(/^greenlight.clusters is empty: add the cluster/);
    }
  });

  test('a cluster without a name', () => {
    expect(refusal({ clusters: [laptop, { inCluster: true }] })).toMatch(
      /'greenlight.clusters\[1\].name'/,
    );
  });

  test('a cluster reached no way at all', () => {
    expect(refusal({ clusters: [{ name: 'prod' }] })).toBe(
      'greenlight.clusters[0] ("prod") must give exactly one of kubeconfig, inCluster: true, or url (with token); it gives none',
    );
  });

  test('a cluster reached two ways names both keys', () => {
    expect(
      refusal({ clusters: [{ ...laptop, url: 'https://k8s.example.com', token: 't' }] }),
    ).toMatch(/it gives greenlight.clusters\[0\].kubeconfig and greenlight.clusters\[0\].url$/);
  });

  test('inCluster: false is no way to reach a cluster', () => {
    expect(refusal({ clusters: [{ name: 'prod', inCluster: false }] })).toMatch(
      /^greenlight.clusters\[0\] \("prod"\) must give exactly one of/,
    );
  });

  test('settings of another way are refused rather than ignored', () => {
    expect(refusal({ clusters: [{ ...laptop, token: 't' }] })).toBe(
      'greenlight.clusters[0].token applies only with greenlight.clusters[0].url; remove it, or reach "laptop" through url',
    );
    expect(refusal({ clusters: [{ name: 'prod', inCluster: true, context: 'kind' }] })).toMatch(
      /^greenlight.clusters\[0\].context applies only with greenlight.clusters\[0\].kubeconfig/,
    );
    expect(refusal({ clusters: [{ ...laptop, skipTLSVerify: true }] })).toMatch(
      /^greenlight.clusters\[0\].skipTLSVerify applies only with/,
    );
  });

  test('a cluster URL that is not http(s), without echoing it', () => {
    const message = refusal({ clusters: [{ name: 'prod', url: 'k8s.example.com:6443' }] });
    expect(message).toBe(
      'greenlight.clusters[0].url is not an http(s) URL; give one such as https://kubernetes.example.com:6443',
    );
  });

  test('two clusters with one name name the second', () => {
    expect(refusal({ clusters: [laptop, { name: 'laptop', inCluster: true }] })).toMatch(
      /^greenlight.clusters\[1\].name "laptop" is already the name of greenlight.clusters\[0\]/,
    );
  });

  test('namespaces that are not a list of strings', () => {
    expect(refusal({ clusters: [{ ...laptop, namespaces: 'openfaas-fn' }] })).toMatch(
      /'greenlight.clusters\[0\].namespaces'.*wanted string-array/,
    );
  });

  test('an unknown metrics source', () => {
    expect(refusal({ clusters: [laptop], metrics: { source: 'datadog' } })).toBe(
      'greenlight.metrics.source is "datadog"; use "prometheus" or "sandbox"',
    );
  });

  test('a window that is not a Prometheus duration', () => {
    expect(refusal({ clusters: [laptop], metrics: { window: '5 minutes' } })).toBe(
      'greenlight.metrics.window "5 minutes" is not a Prometheus duration such as 5m',
    );
  });

  test('a Prometheus URL that is not http(s), without echoing its credentials', () => {
    const message = refusal({
      clusters: [laptop],
      prometheus: { url: 'prometheus://admin:hunter2@prom:9090' },
    });
    expect(message).toMatch(/^greenlight.prometheus.url is not an http\(s\) URL/);
    expect(message).not.toMatch(/hunter2/);
  });

  test('a Prometheus timeout that is not a positive number', () => {
    expect(
      refusal({ clusters: [laptop], prometheus: { url: 'http://prom:9090', timeoutMs: 0 } }),
    ).toBe(
      'greenlight.prometheus.timeoutMs is 0; give a positive number of milliseconds, e.g. 10000',
    );
    expect(
      refusal({ clusters: [laptop], prometheus: { url: 'http://prom:9090', timeoutMs: 'soon' } }),
    ).toMatch(/'greenlight.prometheus.timeoutMs'/);
  });
});
