// The plan as Markdown: one PR comment (and the job summary). The hidden marker finds the
// comment again on the next push, so it is edited in place instead of piling up; it names
// the namespace and stack file, so two plan steps in one workflow keep a comment each.
import { shortRevision } from '../format.ts';
import type { ManifestDiff } from './manifest-diff.ts';

export interface FunctionPlan {
  name: string;
  changed: boolean;
  why: string;
  /** The objects Greenlight would apply and what that changes; absent: not planned. */
  manifests?: ManifestDiff[];
  /** No Deployment yet: the deploy creates it and its Service. */
  newFunction?: boolean;
  /** Its chat probe in a few words (probeSummary); absent: not probed. */
  probe?: string;
}

export interface Plan {
  namespace: string;
  stackFile: string;
  revision?: string;
  base?: string;
  functions: FunctionPlan[];
  /** Why the cluster was not compared (no kubeconfig); absent when it was. */
  clusterSkipped?: string;
  /** Only changed functions get a manifest diff (`changed-only`). */
  changedOnly: boolean;
  /** Shown above the table, e.g. OpenFaaS CE's limit. */
  warnings?: string[];
}

export function planMarker(namespace: string, stackFile: string): string {
  return `<!-- greenlight:plan namespace=${namespace} stack=${stackFile} -->`;
}

export function planComment(plan: Plan): string {
  const changed = plan.functions.filter((f) => f.changed).length;
  const lines = [
    planMarker(plan.namespace, plan.stackFile),
    '### Greenlight plan',
    '',
    `${changed} of ${plan.functions.length} function(s) would change` +
      ` · revision \`${shortRevision(plan.revision)}\`` +
      (plan.base ? ` against base \`${shortRevision(plan.base)}\`` : '') +
      ` · namespace \`${plan.namespace}\` · \`${plan.stackFile}\``,
    '',
    ...(plan.warnings ?? []).flatMap((w) => ['> [!WARNING]', `> ${cell(w)}`, '']),
    '| Function | Code | Why | Probes | Canary manifests |',
    '| --- | --- | --- | --- | --- |',
    ...plan.functions.map(
      (f) =>
        `| ${cell(f.name)} | ${f.changed ? '✏️ changed' : '➖ unchanged'} | ${cell(shortenShas(f.why))} | ${cell(f.probe ?? 'none')} | ${cell(manifestsCell(f, plan))} |`,
    ),
    '',
  ];
  for (const f of plan.functions) {
    for (const diff of f.manifests ?? []) {
      if (diff.change === 'unchanged') continue;
      const title = `${diff.kind} ${diff.namespace}/${diff.name}: ${diff.change === 'create' ? 'would be created' : 'would change'}`;
      lines.push(
        `<details><summary>${escapeHtml(title)}</summary>`,
        '',
        '```diff',
        ...diff.lines.map((line) => `${line.op}${line.text}`),
        '```',
        '',
        '</details>',
        '',
      );
    }
  }
  if (plan.clusterSkipped)
    lines.push(`> [!NOTE]`, `> Cluster comparison skipped: ${plan.clusterSkipped}`, '');
  return lines.join('\n');
}

function manifestsCell(f: FunctionPlan, plan: Plan): string {
  if (!f.manifests) {
    if (plan.clusterSkipped) return 'not compared';
    return plan.changedOnly && !f.changed ? 'not planned (changed-only)' : '-';
  }
  const count = (change: ManifestDiff['change']) =>
    f.manifests?.filter((d) => d.change === change).length ?? 0;
  const parts = [
    f.newFunction ? 'new function: Deployment and Service to create' : '',
    count('create') ? `${count('create')} to create` : '',
    count('update') ? `${count('update')} to change` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'in sync';
}

/** Full commit SHAs in `why` texts are long in a table; seven characters name them. */
function shortenShas(text: string): string {
  return text.replace(/\b[0-9a-f]{40}\b/g, (sha) => sha.slice(0, 7));
}

/** A table cell: no line breaks, no column separators. */
function cell(text: string): string {
  return escapeHtml(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
