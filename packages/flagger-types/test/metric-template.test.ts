import { describe, expect, test } from '@jest/globals';
import { formatIssues, validateAlertProvider, validateMetricTemplate } from '../src/index.ts';

// Rules from the MetricTemplate and AlertProvider CRDs of Flagger v1.44.

const latencyTemplate = () => ({
  apiVersion: 'flagger.app/v1beta1',
  kind: 'MetricTemplate',
  metadata: { name: 'latency', namespace: 'test' },
  spec: {
    provider: { type: 'prometheus', address: 'http://prometheus.linkerd-viz:9090' },
    query:
      'histogram_quantile(0.99, sum(rate(response_latency_ms_bucket[{{ interval }}])) by (le))',
  },
});

describe('validateMetricTemplate', () => {
  test("accepts the latency template of Flagger's Linkerd tutorial", () => {
    expect(validateMetricTemplate(latencyTemplate()).ok).toBe(true);
  });

  test('refuses a template without a query (CRD spec.required: query)', () => {
    const template: { spec: { query?: string } } = latencyTemplate();
    delete template.spec.query;
    const result = validateMetricTemplate(template);
    expect(result).toEqual({ ok: false, issues: [{ path: 'spec.query', message: 'is required' }] });
  });

  test('refuses a provider type outside the CRD enum', () => {
    const template = latencyTemplate();
    const result = validateMetricTemplate({
      ...template,
      spec: { ...template.spec, provider: { type: 'linkerd' } },
    });
    expect(!result.ok && result.issues[0]?.path).toBe('spec.provider.type');
  });

  test('refuses a provider without a type (CRD provider.required: type)', () => {
    const template = latencyTemplate();
    const result = validateMetricTemplate({
      ...template,
      spec: { ...template.spec, provider: { address: 'http://p:9090' } },
    });
    expect(!result.ok && formatIssues(result.issues)).toBe('spec.provider.type: is required');
  });

  test('refuses a Canary passed as a MetricTemplate', () => {
    const result = validateMetricTemplate({ ...latencyTemplate(), kind: 'Canary' });
    expect(!result.ok && formatIssues(result.issues)).toBe('kind: must be "MetricTemplate"');
  });
});

describe('validateAlertProvider', () => {
  const provider = (spec: object) => ({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'AlertProvider',
    metadata: { name: 'on-call' },
    spec,
  });

  test('accepts type with address, or type with secretRef (CRD oneOf)', () => {
    expect(
      validateAlertProvider(provider({ type: 'slack', address: 'https://hooks.slack.com/x' })).ok,
    ).toBe(true);
    expect(
      validateAlertProvider(provider({ type: 'msteams', secretRef: { name: 'teams' } })).ok,
    ).toBe(true);
  });

  test('refuses both address and secretRef (CRD oneOf)', () => {
    const result = validateAlertProvider(
      provider({ type: 'slack', address: 'https://x', secretRef: { name: 's' } }),
    );
    expect(!result.ok && result.issues[0]?.path).toBe('spec');
  });

  test('refuses a type outside the CRD enum', () => {
    const result = validateAlertProvider(provider({ type: 'pagerduty', address: 'https://x' }));
    expect(!result.ok && result.issues[0]?.path).toBe('spec.type');
  });
});
