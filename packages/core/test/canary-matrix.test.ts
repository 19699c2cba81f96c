import { describe, expect, test } from '@jest/globals';
import { formatIssues, validateCanary, validateMetricTemplate } from 'flagger-types';
import { renderCanary, resolveCanaryOptions, type CanaryOptionsInput } from '../src/index.ts';
import type { FunctionProbe } from '../src/probes/types.ts';

// Every combination Greenlight can render must pass flagger-types, whose rules mirror Flagger
// v1.44's Canary and MetricTemplate CRDs (required fields, enums, the duration pattern, the
// analysis oneOf). The e2e tier applies the same objects to a real apiserver with the CRDs.

const providers = ['linkerd', 'gatewayapi'] as const;
const strategies: Record<string, Partial<CanaryOptionsInput>> = {
  canary: { strategy: 'canary' },
  'canary with step weights': { strategy: 'canary', stepWeights: [5, 10, 25, 50] },
  'blue-green': { strategy: 'blue-green' },
  '50/50': { strategy: 'canary', stepWeight: 50, maxWeight: 50 },
};
// Blue/green is rendered only with a probe; a canary gets one when the function has one.
const PROBE: FunctionProbe = {
  path: '/',
  conversations: [
    {
      name: 'greets',
      turns: [{ request: { kind: 'webchat', message: 'hello' }, expect: { contains: 'Hello' } }],
    },
  ],
};
const probed = (strategy: string): boolean => strategy !== 'canary';
const cases = providers.flatMap((provider) =>
  Object.entries(strategies).flatMap(([strategy, input]) =>
    [false, true].map(
      (approval) => [provider, strategy, approval, { ...input, provider, approval }] as const,
    ),
  ),
);

describe('every rendered combination', () => {
  test.each(cases)(
    '%s, %s, approval %s: validates as Flagger objects',
    (_provider, _strategy, _approval, input) => {
      const probe = probed(_strategy) ? PROBE : undefined;
      const [canary, ...templates] = renderCanary(
        { name: 'telegram-bot', ...(probe ? { probe } : {}) },
        resolveCanaryOptions(input),
      );

      const result = validateCanary(canary);
      if (!result.ok) throw new Error(formatIssues(result.issues));
      for (const template of templates) {
        const checked = validateMetricTemplate(template);
        if (!checked.ok) throw new Error(formatIssues(checked.issues));
      }

      const analysis = canary.spec.analysis;
      // The CRD's oneOf: exactly one of iterations / stepWeight / stepWeights.
      const modes = [analysis.iterations, analysis.stepWeight, analysis.stepWeights].filter(
        (v) => v !== undefined,
      );
      expect(modes).toHaveLength(1);
      // Every templateRef points at a template rendered beside the Canary.
      const refs = (analysis.metrics ?? []).flatMap((m) =>
        m.templateRef ? [m.templateRef.name] : [],
      );
      expect(refs).toEqual(templates.map((t) => t.metadata.name));
      expect((analysis.webhooks ?? []).map((w) => w.type)).toEqual([
        ...(probe ? ['pre-rollout', 'rollout'] : []),
        ...(input.approval ? ['confirm-promotion', 'rollback'] : []),
      ]);
    },
  );
});
