import {
  FLEET_REGEX_LIMIT,
  checkWindow,
  durationSeconds,
  goldenQueries,
  rangeRateWindow,
} from '../src/metrics/index.ts';

// These strings are the contract with Linkerd's metric names and labels: change them only
// together with the e2e tier that runs them against a real Prometheus.

describe('golden queries', () => {
  test('ask for one chatbot, blue and green, by exact namespace and a two-name deployment regex', () => {
    expect(goldenQueries([{ namespace: 'openfaas-fn', name: 'chatbot' }], '5m')).toEqual({
      responses:
        'sum by (namespace, deployment, classification) (rate(response_total{direction="inbound", namespace="openfaas-fn", deployment=~"chatbot|chatbot-primary"}[5m]))',
      latency: [0.5, 0.95, 0.99]
        .map(
          (q) =>
            `label_replace(histogram_quantile(${q}, sum by (namespace, deployment, le) (rate(response_latency_ms_bucket{direction="inbound", namespace="openfaas-fn", deployment=~"chatbot|chatbot-primary"}[5m]))), "quantile", "${q}", "", "")`,
        )
        .join(' or '),
    });
  });

  test('ask for a fleet in the same two queries, with sorted, de-duplicated regexes', () => {
    const queries = goldenQueries(
      [
        { namespace: 'team-b', name: 'faq-bot' },
        { namespace: 'openfaas-fn', name: 'chatbot' },
        { namespace: 'openfaas-fn', name: 'chatbot' },
      ],
      '1m',
    );
    expect(Object.keys(queries)).toHaveLength(2);
    expect(queries.responses).toBe(
      'sum by (namespace, deployment, classification) (rate(response_total{direction="inbound", namespace=~"openfaas-fn|team-b", deployment=~"chatbot|chatbot-primary|faq-bot|faq-bot-primary"}[1m]))',
    );
  });

  test('drop the deployment regex for a fleet larger than the limit and keep the namespaces', () => {
    const refs = Array.from({ length: FLEET_REGEX_LIMIT + 1 }, (_, i) => ({
      namespace: 'openfaas-fn',
      name: `bot-${i}`,
    }));
    expect(goldenQueries(refs, '5m').responses).toBe(
      'sum by (namespace, deployment, classification) (rate(response_total{direction="inbound", namespace="openfaas-fn"}[5m]))',
    );
  });

  test('refuse a name that is not a DNS-1123 label, so nothing can be injected into PromQL', () => {
    expect(() =>
      goldenQueries([{ namespace: 'openfaas-fn', name: 'bot"}or vector(1)' }], '5m'),
    ).toThrow('name: "bot"}or vector(1)" is not a DNS-1123 label');
    expect(() => goldenQueries([{ namespace: 'a.b', name: 'bot' }], '5m')).toThrow(/^namespace:/);
  });

  test('refuse an empty fleet', () => {
    expect(() => goldenQueries([], '5m')).toThrow('no chatbot to query metrics for');
  });
});

describe('windows', () => {
  test.each(['30s', '5m', '1h30m', '500ms', '7d'])(
    'accept the Prometheus duration %s',
    (window) => {
      expect(checkWindow(window)).toBe(window);
    },
  );

  test.each(['5', '5 m', '-5m', '5min', '', '5m]'])('refuse %j with a hint', (window) => {
    expect(() => checkWindow(window)).toThrow(
      /^window: ".*" is not a Prometheus duration\. Use a number and a unit/,
    );
  });

  test('measure durations in seconds', () => {
    expect(durationSeconds('1h30m')).toBe(5400);
    expect(durationSeconds('500ms')).toBe(0.5);
  });

  test('rate a range query over one step, and never less than a minute', () => {
    expect(rangeRateWindow(15)).toBe('60s');
    expect(rangeRateWindow(300)).toBe('300s');
  });
});
