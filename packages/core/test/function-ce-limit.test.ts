// OpenFaaS CE's limit of 15, counted as faas-netes CE counts it (pkg/k8s/function_list.go).
import { describe, expect, test } from '@jest/globals';
import type { V1Deployment } from '@kubernetes/client-node';
import { ceLimitWarning, countedByCe } from '../src/index.ts';

const deployment = (name: string, labels?: Record<string, string>): V1Deployment => ({
  metadata: { name, ...(labels ? { labels } : {}) },
});

describe('countedByCe', () => {
  test('counts every Deployment with a faas_function label, any value, primaries included', () => {
    expect(
      countedByCe([
        deployment('chatbot', { faas_function: 'chatbot' }),
        deployment('chatbot-primary', { faas_function: 'chatbot-primary' }),
        deployment('odd', { faas_function: '' }),
        deployment('redis', { app: 'redis' }),
        deployment('bare'),
      ]),
    ).toBe(3);
  });
});

describe('ceLimitWarning', () => {
  test.each([
    [11, 0, undefined],
    [
      12,
      0,
      /12 Deployments with a faas_function label in openfaas-fn of the 15 CE allows, near the limit/,
    ],
    [
      13,
      2,
      /13 Deployments .* \(15 with this change\) of the 15 CE allows, at the limit: faas-netes CE refuses any new function/,
    ],
    [16, 0, /16 Deployments .* above the limit.*disables every invocation when it next starts/],
    [10, 2, /\(12 with this change\).*near the limit/],
  ])('%d counted, %d added: %s', (count, adding, expected) => {
    const warning = ceLimitWarning('openfaas-fn', count, adding);
    if (expected === undefined) expect(warning).toBeUndefined();
    else expect(warning).toMatch(expected);
  });

  test('says why primaries count and what to do', () => {
    expect(ceLimitWarning('openfaas-fn', 14)).toMatch(
      /Flagger's -primary copies count too, so each canaried function counts twice.*Remove functions, or move to OpenFaaS Standard/,
    );
  });
});
