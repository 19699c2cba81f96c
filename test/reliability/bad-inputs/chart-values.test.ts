// Runs chart-values.cases.ts: `helm install` of each chart with the bad values, by the real
// helm (charts/test/helm.ts) against the API stand-in. helm reads the API (version,
// discovery) and must refuse before its first write: the stand-in's request log shows none.
// helm keeps its releases in ConfigMaps (HELM_DRIVER=configmap), a kind the stand-in serves;
// the stand-in has no OpenAPI document, so helm's check of rendered manifests against it is
// off (--disable-openapi-validation: values.schema.json is still applied).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type ApiServer } from '@greenlight/sandbox';
import { CHARTS, helm, type HelmResult } from '../../../charts/test/helm.ts';
import { CHART_CASES, type ChartCase } from './chart-values.cases.ts';
import { inBatches, missing } from './expect-error.ts';

// Not the memory driver: with it helm swaps in a kube client that writes nowhere.
const DRIVER = { HELM_DRIVER: 'configmap' };

let api: ApiServer;
let kubeconfig: string;
const runs = new Map<ChartCase, HelmResult>();
let writes: unknown[] = [];
let reads = 0;

/** `helm install <release> charts/<chart> -n openfaas-fn -f -`, the values on stdin. */
function install(chart: string, release: string, values: object): Promise<HelmResult> {
  const args = ['install', release, join(CHARTS, chart), '-n', 'openfaas-fn'];
  args.push('--kubeconfig', kubeconfig, '--disable-openapi-validation', '--values', '-');
  return helm(args, JSON.stringify(values), DRIVER);
}

beforeAll(async () => {
  api = await startApiServer();
  kubeconfig = join(mkdtempSync(join(tmpdir(), 'greenlight-bad-values-')), 'kubeconfig');
  writeFileSync(kubeconfig, api.kubeconfig());
  const results = await inBatches(CHART_CASES, 4, (row) =>
    install(row.chart, row.release ?? row.chart, row.values),
  );
  CHART_CASES.forEach((row, i) => runs.set(row, results[i] as HelmResult));
  writes = api.writes();
  reads = api.requestLog.length;
}, 120_000);
afterAll(() => api.close());

test('helm reached the API and wrote nothing to it', () => {
  expect(reads).toBeGreaterThan(0);
  expect(writes).toEqual([]);
});

test.each(CHART_CASES)('$chart: $name is refused naming the value and what it wants', (row) => {
  const run = runs.get(row) as HelmResult;
  expect(run.stderr).toContain('INSTALLATION FAILED');
  expect(run.stderr).toContain(
    row.by === 'schema'
      ? "values don't meet the specifications of the schema"
      : `execution error at (${row.chart}/templates/`,
  );
  expect(missing(run.stderr, row.says)).toEqual([]);
  expect(run.code).toBe(1);
});

test('good values get as far as a write (the refusals above are the values, not the set-up)', async () => {
  const before = api.writes().length;
  await install('chatbot', 'chatbot', { image: { repository: 'ghcr.io/acme/chatbot' } });
  // helm's first write is its release record; the stand-in refuses its protobuf body, which
  // ends the install, but the write was sent.
  expect(
    api
      .writes()
      .slice(before)
      .map((w) => `${w.method} ${w.path}`),
  ).toContain('POST /api/v1/namespaces/openfaas-fn/configmaps');
});
