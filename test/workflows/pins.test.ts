import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './workflow-files.ts';

// What a team copies from us — our workflows, the starter workflows, every README and doc —
// names current versions of what it installs and installs Greenlight from where a release
// publishes it, not from a clone.

/**
 * The current major of each third-party action we use or show, as of December 2026 (each
 * project's releases: actions/checkout v7.0.0 June 2026, actions/setup-node v7.0.0 July 2026,
 * actions/upload-artifact v7, actions/download-artifact v8, docker/login-action v4,
 * docker/setup-qemu-action v4, docker/setup-buildx-action v4, docker/build-push-action v7,
 * azure/setup-helm v5). An action missing here fails the test: add it with its current major.
 */
const CURRENT_MAJOR: Record<string, string> = {
  'actions/checkout': 'v7',
  'actions/setup-node': 'v7',
  'actions/upload-artifact': 'v7',
  'actions/download-artifact': 'v8',
  'docker/login-action': 'v4',
  'docker/setup-qemu-action': 'v4',
  'docker/setup-buildx-action': 'v4',
  'docker/build-push-action': 'v7',
  'azure/setup-helm': 'v5',
};
/** The Flagger release Greenlight is built and tested against (test/e2e, docs/design.md). */
const FLAGGER = 'v1.44.0';
/**
 * The newest Gateway API release the current Linkerd stable supports: Linkerd 2.18–2.19 list
 * Gateway API 1.1.1–1.2.1 (linkerd.io/2/features/gateway-api, compatibility table).
 */
const GATEWAY_API = 'v1.2.1';

const SKIP = new Set(['node_modules', 'dist', 'dist-types', '.git', '.cache', 'coverage']);
function files(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIP.has(entry.name) ? [] : files(path, keep);
    return keep(entry.name) ? [path] : [];
  });
}
const docs = files('.', (name) => name.endsWith('.md'));
const workflows = [
  ...files('.github/workflows', (n) => n.endsWith('.yml')),
  ...files('workflows', (n) => n.endsWith('.yml')),
];
const texts = [...docs, ...workflows].map((file) => ({
  file: relative(ROOT, join(ROOT, file)),
  text: readFileSync(join(ROOT, file), 'utf8'),
}));
const all = (pattern: RegExp) =>
  texts.flatMap(({ file, text }) => [...text.matchAll(pattern)].map((m) => ({ file, match: m })));

describe('pins', () => {
  test('every third-party action is used at its current major', () => {
    const uses = all(/uses:\s*([\w.-]+\/[\w.-]+)(?:\/[\w./-]+)?@([\w.-]+)/g).filter(
      ({ match }) => !match[1]!.startsWith('greenlight-dev/'),
    );
    expect(uses.length).toBeGreaterThan(0);
    const stale = uses
      .filter(({ match }) => CURRENT_MAJOR[match[1]!] !== match[2])
      .map(
        ({ file, match }) =>
          `${file}: ${match[1]}@${match[2]} (current: ${CURRENT_MAJOR[match[1]!] ?? 'not in CURRENT_MAJOR'})`,
      );
    expect(stale).toEqual([]);
  });

  test(`Flagger's CRDs and chart come from ${FLAGGER}, never from a branch`, () => {
    const crds = all(/fluxcd\/flagger\/([\w.-]+)\/artifacts\/flagger\/crd\.yaml/g);
    expect(crds.length).toBeGreaterThan(0);
    expect(
      crds
        .filter(({ match }) => match[1] !== FLAGGER)
        .map(({ file, match }) => `${file}: ${match[0]}`),
    ).toEqual([]);
    const charts = all(/helm upgrade --install flagger flagger\/flagger([^\n]*)/g);
    expect(
      charts.map(({ match }) => match[1]!.includes(`--version ${FLAGGER.slice(1)}`)),
    ).not.toContain(false);
  });

  test(`the Gateway API CRDs are release ${GATEWAY_API}, the newest Linkerd's stable supports`, () => {
    const releases = all(/kubernetes-sigs\/gateway-api\/releases\/download\/([\w.-]+)\//g);
    expect(releases.length).toBeGreaterThan(0);
    expect(
      releases.filter(({ match }) => match[1] !== GATEWAY_API).map(({ file }) => file),
    ).toEqual([]);
  });

  test('charts are installed from the OCI registry a release pushes to, at the charts’ version', () => {
    const installs = all(/helm (?:upgrade --install|install) [\w-]+ (\S+)((?:[^\n]*\\\n)*[^\n]*)/g);
    expect(installs.length).toBeGreaterThan(0);
    const wrong = installs.flatMap(({ file, match }) => {
      const [, ref = '', rest = ''] = match;
      if (!ref.includes('charts') && !ref.includes('greenlight')) return []; // Flagger, OpenFaaS, …
      const name = /^oci:\/\/ghcr\.io\/greenlight-dev\/charts\/([\w-]+)$/.exec(ref)?.[1];
      if (!name)
        return [`${file}: installs ${ref}, not oci://ghcr.io/greenlight-dev/charts/<chart>`];
      const { version } = parse(readFileSync(join(ROOT, 'charts', name, 'Chart.yaml'), 'utf8')) as {
        version: string;
      };
      return rest.includes(`--version ${version}`)
        ? []
        : [`${file}: ${ref} without --version ${version}`];
    });
    expect(wrong).toEqual([]);
  });

  test('the CLI is installed from npm, not run from a clone, in the getting-started guide', () => {
    const page = readFileSync(join(ROOT, 'docs/getting-started.md'), 'utf8');
    expect(page).toContain('npm install -g @greenlight/cli');
    expect(page).not.toMatch(/git clone/);
  });
});
