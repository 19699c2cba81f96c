// The charts on the real API server, installed the way an adopter installs them: both are
// packaged and pushed with `helm push` to an OCI registry, and the real helm installs them
// from oci:// (harness/oci-charts.ts), as from oci://ghcr.io/<owner>/charts after a release.
// The greenlight-gate chart installs with its approvers and refuses to without; the gate the
// harness runs has the chart's ServiceAccount and only its RBAC; a function installed with
// the chatbot chart alone — Service, Deployment, Canary — is initialized, analysed and rolled
// back by the real Flagger.
import type { KubernetesObject, V1Deployment, V1Service } from '@kubernetes/client-node';
import { AuthenticationV1Api, AuthorizationV1Api, KubeConfig } from '@kubernetes/client-node';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { helm } from '../../../charts/test/helm.ts';
import { render } from '../../../charts/test/render.ts';
import {
  startControlPlane,
  FUNCTIONS_NAMESPACE,
  type ControlPlane,
} from '../harness/control-plane.ts';
import { deploymentRevision } from '../harness/chatbot.ts';
import { RolloutWatch } from '../harness/rollout-watch.ts';
import { scenario as withReport } from '../harness/report.ts';
import { readImageTools } from '../harness/env.ts';
import { killOnExit } from '../harness/reaper.ts';
import { startRegistry, type Registry } from '../harness/registry.ts';
import {
  CHART_NAMES,
  helmOk,
  installArgs,
  pushCharts,
  type ChartName,
  type PushedChart,
} from '../harness/oci-charts.ts';

const NAME = 'slackbot';
/**
 * The gate chart from oci:// goes beside the harness's own gate (release greenlight-gate in
 * `greenlight`, its Role in openfaas-fn), under another release name, so no object collides.
 */
const OCI_GATE_NAMESPACE = 'greenlight-oci';
const OCI_GATE_RELEASE = 'greenlight-gate-oci';
const APPROVER = 'system:serviceaccount:greenlight:greenlight-approve';

let plane: ControlPlane;
let rollout: RolloutWatch;
let registry: Registry;
let charts: Record<ChartName, PushedChart>;
const timings: string[] = [];

beforeAll(async () => {
  plane = await startControlPlane({ meshProvider: 'linkerd' });
  registry = await startRegistry(readImageTools().registry, plane.dir);
  killOnExit(registry.process);
  const started = Date.now();
  charts = await pushCharts(registry.host, plane.dir);
  timings.push(`helm package + helm push of both charts: ${seconds(started)}`);
  rollout = await RolloutWatch.start(plane, NAME);
  // The chatbot's users: real messages through the mesh, split by Flagger's HTTPRoute.
  plane.mesh.users.setRate(NAME, 10);
}, 180_000);

afterAll(async () => {
  if (timings.length > 0) console.log(`charts from oci://:\n  ${timings.join('\n  ')}`);
  rollout?.stop();
  await registry?.process.stop();
  await plane?.stop();
});

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

const scenario = (name: string, body: () => Promise<void>) =>
  withReport(name, () => ({ plane, rollout }), body);

const chatbotValues = (revision: string, env: Record<string, string> = {}) => ({
  name: NAME,
  image: { repository: `127.0.0.1:5000/${NAME}`, tag: revision },
  revision,
  // The chart's env: the chatbot's identity, and a bad revision's DEMO_FAULT.
  env: { BOT_COLOR: 'green', BOT_REVISION: revision, ...env },
  analysis: { interval: '10s', threshold: 2, stepWeight: 50, maxWeight: 50 },
  approval: { enabled: true, gateUrl: plane.gate.url },
  // No provider: the chart's default, gatewayapi, whose MetricTemplates query this Prometheus.
  prometheus: { address: plane.prometheus.url },
});

/** `helm install` (or `upgrade`) of the chatbot chart from oci:// at `revision`; what helm applied. */
async function helmInstallChatbot(
  verb: 'install' | 'upgrade',
  revision: string,
  env: Record<string, string> = {},
): Promise<KubernetesObject[]> {
  const values = join(plane.dir, `${NAME}-${revision}.values.yaml`);
  writeFileSync(values, stringify(chatbotValues(revision, env)));
  const admin = plane.apiserver.adminKubeconfig;
  await helmOk(installArgs(verb, NAME, charts.chatbot, FUNCTIONS_NAMESPACE, admin, ['-f', values]));
  const manifest = await helmOk([
    'get',
    'manifest',
    NAME,
    '--namespace',
    FUNCTIONS_NAMESPACE,
    '--kubeconfig',
    admin,
  ]);
  return parseAllDocuments(manifest.stdout)
    .map((d) => d.toJS() as KubernetesObject | null)
    .filter((o): o is KubernetesObject => o !== null);
}

/** `helm template` of the chatbot chart at `revision`, applied object by object. */
async function installChatbot(
  revision: string,
  env: Record<string, string> = {},
): Promise<KubernetesObject[]> {
  const objects = await render('chatbot', chatbotValues(revision, env), {
    release: NAME,
    namespace: FUNCTIONS_NAMESPACE,
  });
  for (const object of objects)
    await plane.kube.apply({
      ...object,
      metadata: { namespace: FUNCTIONS_NAMESPACE, ...object.metadata },
    });
  return objects;
}

scenario(
  'the gate runs as the greenlight-gate chart’s ServiceAccount, which may read Canaries but not change them',
  async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(plane.gate.kubeconfig);
    const review = await kc
      .makeApiClient(AuthenticationV1Api)
      .createSelfSubjectReview({ body: {} });
    expect(review.status?.userInfo?.username).toBe(plane.gateIdentity.username);

    const can = async (verb: string, group: string, resource: string) =>
      (
        await kc.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
          body: {
            spec: { resourceAttributes: { namespace: FUNCTIONS_NAMESPACE, verb, group, resource } },
          },
        })
      ).status?.allowed;
    expect(await can('watch', 'flagger.app', 'canaries')).toBe(true);
    expect(await can('create', '', 'events')).toBe(true);
    // Approving is patching the Canary: only the action, the CLI or Backstage may.
    expect(await can('patch', 'flagger.app', 'canaries')).toBe(false);
    expect(await can('update', 'apps', 'deployments')).toBe(false);
    expect((await fetch(`${plane.gate.url}/readyz`)).ok).toBe(true);
  },
);

scenario(
  'both charts, packaged and pushed with helm push, are Helm charts in the OCI registry at the version of their Chart.yaml',
  async () => {
    for (const name of CHART_NAMES) {
      const { version, digest } = charts[name];
      const response = await fetch(
        `http://${registry.host}/v2/charts/${name}/manifests/${version}`,
        {
          headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
        },
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('docker-content-digest')).toBe(digest);
      const manifest = (await response.json()) as { config: { mediaType: string } };
      expect(manifest.config.mediaType).toBe('application/vnd.cncf.helm.config.v1+json');
      const shown = await helmOk([
        'show',
        'chart',
        charts[name].ref,
        '--version',
        version,
        '--plain-http',
      ]);
      expect(shown.stdout).toMatch(new RegExp(`^name: ${name}$`, 'm'));
    }
  },
);

scenario(
  'the greenlight-gate chart from oci:// refuses to install with nobody to approve, and installs with its approvers',
  async () => {
    const admin = plane.apiserver.adminKubeconfig;
    const install = (extra: string[]) =>
      installArgs(
        'install',
        OCI_GATE_RELEASE,
        charts['greenlight-gate'],
        OCI_GATE_NAMESPACE,
        admin,
        // Its own namespace only: its admission policies (bound to the namespaces it watches)
        // must not judge the functions the harness's gate guards — and the API server keeps
        // enforcing a deleted policy for a moment, so scoping, not uninstalling, keeps them apart.
        ['--create-namespace', '--set', `watchNamespace=${OCI_GATE_NAMESPACE}`, ...extra],
      );
    const refused = await helm(install([]));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('admissionPolicy.approvers is empty');

    const started = Date.now();
    await helmOk(install(['--set', `admissionPolicy.approvers.usernames={${APPROVER}}`]));
    timings.push(`helm install greenlight-gate from oci://: ${seconds(started)}`);
    try {
      const status = JSON.parse(
        (
          await helmOk([
            'status',
            OCI_GATE_RELEASE,
            '--namespace',
            OCI_GATE_NAMESPACE,
            '--kubeconfig',
            admin,
            '-o',
            'json',
          ])
        ).stdout,
      ) as { info: { status: string }; chart?: { metadata: { version: string } } };
      expect(status.info.status).toBe('deployed');
      const deployment = await plane.kube.get<V1Deployment>({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: OCI_GATE_NAMESPACE,
        name: OCI_GATE_RELEASE,
      });
      // The release's image, at the chart's appVersion (the release workflow pushes it).
      expect(deployment?.spec?.template.spec?.containers[0]?.image).toBe(
        `ghcr.io/greenlight-dev/greenlight-gate:${charts['greenlight-gate'].version}`,
      );
    } finally {
      // Its admission policies are cluster-wide: leave the plane as the other scenarios expect.
      await helmOk([
        'uninstall',
        OCI_GATE_RELEASE,
        '--namespace',
        OCI_GATE_NAMESPACE,
        '--kubeconfig',
        admin,
      ]);
    }
  },
);

scenario(
  'a function installed from oci:// by helm with the chatbot chart initializes, and Flagger leaves the chart’s apex Service as helm applied it',
  async () => {
    const objects = await helmInstallChatbot('install', 'rev-1');
    await rollout.until('Initialized');

    expect(await deploymentRevision(plane.kube, `${NAME}-primary`)).toBe('rev-1');
    const rendered = objects.find((o) => o.kind === 'Service') as V1Service;
    const live = await plane.kube.get<V1Service>({
      apiVersion: 'v1',
      kind: 'Service',
      namespace: FUNCTIONS_NAMESPACE,
      name: NAME,
    });
    expect(live?.spec?.selector).toEqual(rendered.spec?.selector);
    expect(live?.spec?.ports).toEqual([expect.objectContaining(rendered.spec!.ports![0]!)]);
  },
);

scenario(
  'the chart’s next revision failing its users’ questions (30 % of messages) is rolled back by Flagger',
  async () => {
    const from = rollout.phases.length;
    // The next revision arrives as Greenlight's action ships one (the chart is installed once,
    // docs/getting-started.md): the chart's objects at rev-2, applied. A `helm upgrade` here is
    // refused by helm v4's server-side apply: Flagger owns the Deployment's .spec.replicas.
    await installChatbot('rev-2', { DEMO_FAULT: 'fail-questions' });
    await rollout.until(
      (phase) => phase === 'Failed' && rollout.since(from).includes('Progressing'),
      120_000,
    );

    expect(await deploymentRevision(plane.kube, `${NAME}-primary`)).toBe('rev-1');
    expect((await rollout.events()).join('\n')).toMatch(
      /Rolling back .*failed checks threshold reached 2/,
    );
  },
);
