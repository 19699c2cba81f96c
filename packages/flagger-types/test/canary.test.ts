import { describe, expect, test } from '@jest/globals';
import { PROVIDERS, validateCanary, type Canary } from '../src/index.ts';
import { podinfoCanary, type Json } from './fixtures/podinfo-canary.ts';

// Each row changes the valid podinfo Canary in one way and says which rule of the Canary CRD
// (Flagger v1.44 artifacts/flagger/crd.yaml) or of Flagger's Go code decides the outcome.
// "CRD" rows mirror an OpenAPI constraint; "Go" rows are Flagger behaviour; "Greenlight" rows
// refuse what Flagger accepts but cannot run sensibly.

type Spec = Json;
interface Row {
  rule: string;
  change: (canary: Spec) => void;
  /** Undefined for a valid Canary, else the path of the expected issue. */
  issueAt?: string;
}

const analysis = (canary: Spec) => canary.spec.analysis;
const webhook = (canary: Spec) => canary.spec.analysis.webhooks[0];
const metric = (canary: Spec) => canary.spec.analysis.metrics[0];

const good: Row[] = [
  { rule: 'CRD oneOf branch stepWeight: interval, threshold, stepWeight', change: () => {} },
  {
    rule: 'CRD oneOf branch stepWeights (Flagger example linkerd-canary-steps.yaml)',
    change: (c) => {
      delete analysis(c).stepWeight;
      delete analysis(c).maxWeight;
      analysis(c).stepWeights = [5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55];
    },
  },
  {
    rule: 'CRD oneOf branch iterations (blue/green)',
    change: (c) => {
      delete analysis(c).stepWeight;
      delete analysis(c).maxWeight;
      analysis(c).iterations = 10;
    },
  },
  {
    rule: 'CRD allows iterations with match (A/B testing)',
    change: (c) => {
      delete analysis(c).stepWeight;
      delete analysis(c).maxWeight;
      analysis(c).iterations = 10;
      analysis(c).match = [{ headers: { 'x-canary': { exact: 'insider' } } }];
    },
  },
  {
    rule: 'CRD allows maxWeight beside stepWeights (Go then ignores maxWeight)',
    change: (c) => {
      delete analysis(c).stepWeight;
      analysis(c).stepWeights = [10, 50];
    },
  },
  {
    rule: 'CRD interval pattern ^[0-9]+(m|s) is anchored at the start only: 1m30s',
    change: (c) => void (analysis(c).interval = '1m30s'),
  },
  {
    rule: 'CRD interval pattern and Go ParseDuration accept 500ms',
    change: (c) => void (analysis(c).interval = '500ms'),
  },
  {
    rule: 'CRD webhook type enum allows "" (Flagger runs it as rollout)',
    change: (c) => void (webhook(c).type = ''),
  },
  { rule: 'CRD webhook type is optional', change: (c) => void delete webhook(c).type },
  {
    rule: 'CRD targetRef kind enum: DaemonSet',
    change: (c) => void (c.spec.targetRef.kind = 'DaemonSet'),
  },
  {
    rule: 'CRD targetRef kind enum: Service (Knative)',
    change: (c) =>
      void (c.spec.targetRef = {
        apiVersion: 'serving.knative.dev/v1',
        kind: 'Service',
        name: 'podinfo',
      }),
  },
  {
    rule: 'CRD service.targetPort is int-or-string',
    change: (c) => void (c.spec.service.targetPort = 'http'),
  },
  {
    rule: 'CRD provider is optional (Flagger falls back to -mesh-provider)',
    change: (c) => void delete c.spec.provider,
  },
  {
    rule: 'CRD metric with templateRef{name,namespace} and templateVariables',
    change: (c) => {
      c.spec.analysis.metrics = [
        {
          name: 'success-rate',
          templateRef: { name: 'success-rate', namespace: 'linkerd' },
          thresholdRange: { min: 99 },
          interval: '1m',
          templateVariables: { direction: 'inbound' },
        },
      ];
    },
  },
  {
    rule: 'CRD metric with an inline query',
    change: (c) =>
      void (c.spec.analysis.metrics = [
        { name: 'errors', query: 'sum(rate(x[1m]))', threshold: 1 },
      ]),
  },
  {
    rule: "CRD service.gatewayRefs: a Service parent as in Flagger's Linkerd tutorial",
    change: (c) => {
      c.spec.provider = 'gatewayapi:v1beta1';
      c.spec.service.gatewayRefs = [
        { name: 'podinfo', namespace: 'test', group: 'core', kind: 'Service', port: 9898 },
      ];
    },
  },
  {
    rule: 'status is lenient: unknown status keys pass through',
    change: (c) =>
      void (c.status = {
        phase: 'Progressing',
        canaryWeight: 10,
        failedChecks: 0,
        iterations: 0,
        futureField: 1,
      }),
  },
  {
    rule: 'CRD status phase enum allows "" before Flagger first writes it',
    change: (c) => void (c.status = { phase: '' }),
  },
];

const bad: Row[] = [
  {
    rule: 'CRD spec.required: targetRef',
    change: (c) => void delete c.spec.targetRef,
    issueAt: 'spec.targetRef',
  },
  {
    rule: 'CRD spec.required: analysis',
    change: (c) => void delete c.spec.analysis,
    issueAt: 'spec.analysis',
  },
  {
    rule: 'Go: service has no omitempty, a missing one means port 0',
    change: (c) => void delete c.spec.service,
    issueAt: 'spec.service',
  },
  {
    rule: 'CRD service.required: port',
    change: (c) => void delete c.spec.service.port,
    issueAt: 'spec.service.port',
  },
  {
    rule: 'CRD targetRef.required: apiVersion',
    change: (c) => void delete c.spec.targetRef.apiVersion,
    issueAt: 'spec.targetRef.apiVersion',
  },
  {
    rule: 'CRD targetRef kind enum refuses StatefulSet',
    change: (c) => void (c.spec.targetRef.kind = 'StatefulSet'),
    issueAt: 'spec.targetRef.kind',
  },
  {
    rule: 'CRD provider enum refuses "gatewayapi" without a version',
    change: (c) => void (c.spec.provider = 'gatewayapi'),
    issueAt: 'spec.provider',
  },
  {
    rule: 'CRD provider enum refuses "linkerd2"',
    change: (c) => void (c.spec.provider = 'linkerd2'),
    issueAt: 'spec.provider',
  },
  {
    rule: 'CRD interval pattern refuses hours (1h)',
    change: (c) => void (analysis(c).interval = '1h'),
    issueAt: 'spec.analysis.interval',
  },
  {
    rule: 'CRD interval pattern refuses a bare number',
    change: (c) => void (analysis(c).interval = '30'),
    issueAt: 'spec.analysis.interval',
  },
  {
    rule: 'Go ParseDuration refuses 30sec (the CRD pattern alone would pass it)',
    change: (c) => void (analysis(c).interval = '30sec'),
    issueAt: 'spec.analysis.interval',
  },
  {
    rule: 'CRD oneOf requires interval',
    change: (c) => void delete analysis(c).interval,
    issueAt: 'spec.analysis.interval',
  },
  {
    rule: 'CRD oneOf requires threshold',
    change: (c) => void delete analysis(c).threshold,
    issueAt: 'spec.analysis.threshold',
  },
  {
    rule: 'CRD oneOf requires one of iterations/stepWeight/stepWeights',
    change: (c) => void delete analysis(c).stepWeight,
    issueAt: 'spec.analysis',
  },
  {
    rule: 'CRD oneOf refuses stepWeight with stepWeights',
    change: (c) => void (analysis(c).stepWeights = [10, 20]),
    issueAt: 'spec.analysis.stepWeights',
  },
  {
    rule: 'CRD oneOf refuses iterations with stepWeight',
    change: (c) => void (analysis(c).iterations = 10),
    issueAt: 'spec.analysis.stepWeight',
  },
  {
    rule: 'Greenlight: stepWeight above 100 (Flagger total weight is 100)',
    change: (c) => void (analysis(c).stepWeight = 101),
    issueAt: 'spec.analysis.stepWeight',
  },
  {
    rule: 'Greenlight: stepWeight 0 never moves traffic',
    change: (c) => void (analysis(c).stepWeight = 0),
    issueAt: 'spec.analysis.stepWeight',
  },
  {
    rule: 'Greenlight: maxWeight above 100',
    change: (c) => void (analysis(c).maxWeight = 150),
    issueAt: 'spec.analysis.maxWeight',
  },
  {
    rule: 'Go nextStepWeight walks stepWeights in order: they must rise',
    change: (c) => {
      delete analysis(c).stepWeight;
      analysis(c).stepWeights = [10, 50, 30];
    },
    issueAt: 'spec.analysis.stepWeights',
  },
  {
    rule: 'Go decodes threshold into an int',
    change: (c) => void (analysis(c).threshold = 2.5),
    issueAt: 'spec.analysis.threshold',
  },
  {
    rule: 'CRD webhook type enum refuses pre-promotion',
    change: (c) => void (webhook(c).type = 'pre-promotion'),
    issueAt: 'spec.analysis.webhooks[0].type',
  },
  {
    rule: 'CRD webhook.required: url',
    change: (c) => void delete webhook(c).url,
    issueAt: 'spec.analysis.webhooks[0].url',
  },
  {
    rule: 'CRD webhook.required: name',
    change: (c) => void delete webhook(c).name,
    issueAt: 'spec.analysis.webhooks[0].name',
  },
  {
    rule: 'CRD webhook timeout pattern refuses 10',
    change: (c) => void (webhook(c).timeout = '10'),
    issueAt: 'spec.analysis.webhooks[0].timeout',
  },
  {
    rule: 'Greenlight: webhook url must be absolute http(s)',
    change: (c) => void (webhook(c).url = 'flagger-loadtester.test'),
    issueAt: 'spec.analysis.webhooks[0].url',
  },
  {
    rule: 'CRD metric.required: name',
    change: (c) => void delete metric(c).name,
    issueAt: 'spec.analysis.metrics[0].name',
  },
  {
    rule: 'CRD metric interval pattern refuses 2h',
    change: (c) => void (metric(c).interval = '2h'),
    issueAt: 'spec.analysis.metrics[0].interval',
  },
  {
    rule: 'Go: a metric that is not builtin needs templateRef or query',
    change: (c) => void (metric(c).name = 'success-rate'),
    issueAt: 'spec.analysis.metrics[0].templateRef',
  },
  {
    rule: 'CRD templateRef.required: name',
    change: (c) => void (metric(c).templateRef = { namespace: 'linkerd' }),
    issueAt: 'spec.analysis.metrics[0].templateRef.name',
  },
  {
    rule: 'CRD alert severity enum refuses critical',
    change: (c) =>
      void (analysis(c).alerts = [
        { name: 'slack', severity: 'critical', providerRef: { name: 'slack' } },
      ]),
    issueAt: 'spec.analysis.alerts[0].severity',
  },
  {
    rule: 'CRD has no canaryAnalysis (deprecated; the apiserver prunes it)',
    change: (c) => void (c.spec.canaryAnalysis = {}),
    issueAt: 'spec.canaryAnalysis',
  },
  {
    rule: 'CRD has no stepweight: a typo is refused, not pruned',
    change: (c) => void (analysis(c).stepweight = 5),
    issueAt: 'spec.analysis.stepweight',
  },
  {
    rule: 'CRD service.trafficDistribution enum',
    change: (c) => void (c.spec.service.trafficDistribution = 'Nearest'),
    issueAt: 'spec.service.trafficDistribution',
  },
  {
    rule: 'CRD gatewayRefs namespace pattern (DNS label)',
    change: (c) => void (c.spec.service.gatewayRefs = [{ name: 'podinfo', namespace: 'Test' }]),
    issueAt: 'spec.service.gatewayRefs[0].namespace',
  },
  {
    rule: 'CRD group/version is flagger.app/v1beta1',
    change: (c) => void (c.apiVersion = 'flagger.app/v1alpha3'),
    issueAt: 'apiVersion',
  },
  {
    rule: 'CRD status phase enum refuses Paused',
    change: (c) => void (c.status = { phase: 'Paused' }),
    issueAt: 'status.phase',
  },
  {
    rule: 'CRD condition.required: type, status, reason',
    change: (c) => void (c.status = { conditions: [{ type: 'Promoted', status: 'True' }] }),
    issueAt: 'status.conditions[0].reason',
  },
];

function changed(change: Row['change']): Spec {
  const canary = podinfoCanary();
  change(canary);
  return canary;
}

describe('validateCanary', () => {
  test.each(good.map((row) => [row.rule, row] as const))('accepts: %s', (_rule, row) => {
    const result = validateCanary(changed(row.change));
    expect(result).toEqual({ ok: true, value: expect.anything() });
  });

  test.each(bad.map((row) => [row.rule, row] as const))('refuses: %s', (_rule, row) => {
    const result = validateCanary(changed(row.change));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((issue) => issue.path)).toContain(row.issueAt);
  });

  test.each(PROVIDERS.map((provider) => [provider]))(
    'accepts provider %s from the CRD enum',
    (provider) => {
      expect(validateCanary(changed((c) => void (c.spec.provider = provider))).ok).toBe(true);
    },
  );

  test('returns the parsed Canary with creationTimestamp as a Date, like @kubernetes/client-node', () => {
    const result = validateCanary(
      changed((c) => void (c.metadata.creationTimestamp = '2025-05-01T10:00:00Z')),
    );
    if (!result.ok) throw new Error('expected a valid Canary');
    const canary: Canary = result.value;
    expect(canary.metadata.creationTimestamp).toEqual(new Date('2025-05-01T10:00:00Z'));
    expect(canary.spec.analysis.stepWeight).toBe(5);
  });

  test('keeps unknown metadata keys such as managedFields', () => {
    const result = validateCanary(
      changed((c) => void (c.metadata.managedFields = [{ manager: 'kubectl' }])),
    );
    expect(result.ok && result.value.metadata.managedFields).toEqual([{ manager: 'kubectl' }]);
  });

  test('names each unknown key at its own path and says to check the spelling', () => {
    const result = validateCanary(
      changed((c) => void Object.assign(c.spec.service, { prot: 1, hots: [] })),
    );
    expect(result).toEqual({
      ok: false,
      issues: [
        {
          path: 'spec.service.prot',
          message: 'is not a field of this object in the CRD; check its spelling',
        },
        {
          path: 'spec.service.hots',
          message: 'is not a field of this object in the CRD; check its spelling',
        },
      ],
    });
  });

  test('says plainly that a required field is missing', () => {
    const result = validateCanary(changed((c) => void delete c.spec.service.port));
    expect(result).toEqual({
      ok: false,
      issues: [{ path: 'spec.service.port', message: 'is required' }],
    });
  });

  test('refuses something that is not an object at all', () => {
    expect(validateCanary('canary')).toEqual({
      ok: false,
      issues: [{ path: '', message: 'must be an object' }],
    });
  });
});
