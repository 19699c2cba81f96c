// `helm template` and `helm lint` of our charts as the tests call them: values go in on
// stdin as JSON (YAML's subset), rendered documents come back parsed.
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CHARTS, helm } from './helm.ts';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

export interface Rendered {
  ok: boolean;
  objects: K8sObject[];
  /** helm's error output when `ok` is false. */
  error: string;
}

export interface RenderOptions {
  release?: string;
  namespace?: string;
  /** Values files, relative to the charts folder, applied before `values`. */
  files?: string[];
  /** Render as `helm upgrade` would (`.Release.IsUpgrade`). */
  upgrade?: boolean;
}

/** `helm template <release> charts/<chart> -n <namespace> -f <files> -f -` with `values` (YAML text or an object) on stdin. */
export async function template(
  chart: string,
  values: object | string = {},
  options: RenderOptions = {},
): Promise<Rendered> {
  const args = [
    'template',
    options.release ?? chart,
    join(CHARTS, chart),
    '--namespace',
    options.namespace ?? 'default',
    ...(options.files ?? []).flatMap((file) => ['--values', join(CHARTS, file)]),
    ...(options.upgrade ? ['--is-upgrade'] : []),
    '--values',
    '-',
  ];
  const result = await helm(args, typeof values === 'string' ? values : JSON.stringify(values));
  if (result.code !== 0) return { ok: false, objects: [], error: result.stderr.trim() };
  const objects = parseAllDocuments(result.stdout)
    .map((document) => document.toJS() as K8sObject | null)
    .filter((object): object is K8sObject => object !== null);
  return { ok: true, objects, error: '' };
}

/** Renders or throws with helm's message, for cases that must render. */
export async function render(
  chart: string,
  values: object | string = {},
  options: RenderOptions = {},
) {
  const result = await template(chart, values, options);
  if (!result.ok) throw new Error(`helm template ${chart} failed:\n${result.error}`);
  return result.objects;
}

/** `helm lint --strict charts/<chart> -f -`: exit code and output. */
export async function lint(chart: string, values: object = {}) {
  return helm(['lint', '--strict', join(CHARTS, chart), '--values', '-'], JSON.stringify(values));
}

/** The one object of `kind` (and `name`, if given); throws listing what there is otherwise. */
export function pick(objects: K8sObject[], kind: string, name?: string): K8sObject {
  const found = objects.filter(
    (o) => o.kind === kind && (name === undefined || o.metadata.name === name),
  );
  if (found.length !== 1) {
    const have = objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ');
    throw new Error(`expected one ${kind}${name ? `/${name}` : ''}, rendered: ${have}`);
  }
  return found[0] as K8sObject;
}

export function kinds(objects: K8sObject[]): string[] {
  return objects.map((o) => o.kind).sort();
}
