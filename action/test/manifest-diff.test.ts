import type { KubernetesObject } from '@kubernetes/client-node';
import { renderCanary, resolveCanaryOptions } from '@greenlight/core';
import { diffManifest } from '../src/plan/manifest-diff.ts';
import { lineDiff } from '../src/plan/line-diff.ts';

const render = (stepWeight?: number) =>
  renderCanary(
    { name: 'chatbot' },
    resolveCanaryOptions({ namespace: 'openfaas-fn', ...(stepWeight ? { stepWeight } : {}) }),
  )[0] as KubernetesObject;

test('fields others own (status, approvals, server metadata) do not count as changes', () => {
  const live = {
    ...render(),
    metadata: {
      ...render().metadata,
      resourceVersion: '42',
      uid: 'u-1',
      annotations: { 'greenlight.dev/approved-revision': 'abc' },
    },
    status: { phase: 'Succeeded' },
  };
  expect(diffManifest(render(), live)).toMatchObject({ change: 'unchanged', lines: [] });
});

test('a changed field shows as the removed and the added line', () => {
  const diff = diffManifest(render(20), render());
  expect(diff.change).toBe('update');
  expect(diff.lines.filter((l) => l.op !== ' ')).toEqual([
    { op: '-', text: '    stepWeight: 10' },
    { op: '+', text: '    stepWeight: 20' },
  ]);
});

test('an object the cluster does not have is created, every line added', () => {
  const diff = diffManifest(render(), undefined);
  expect(diff.change).toBe('create');
  expect(diff.lines.every((l) => l.op === '+')).toBe(true);
});

test('the line diff keeps common lines and puts removals before additions', () => {
  expect(lineDiff(['a', 'b', 'c'], ['a', 'x', 'c', 'd'])).toEqual([
    { op: ' ', text: 'a' },
    { op: '-', text: 'b' },
    { op: '+', text: 'x' },
    { op: ' ', text: 'c' },
    { op: '+', text: 'd' },
  ]);
});
