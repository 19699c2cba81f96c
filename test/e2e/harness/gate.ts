// The real gate (gate/bin/greenlight-gate.js) as its own process, authenticated as the
// ServiceAccount of the greenlight-gate chart with the chart's RBAC.
import type { KubeConfig } from '@kubernetes/client-node';
import { CoreV1Api } from '@kubernetes/client-node';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { KubeClient } from '@greenlight/core';
import { render, type K8sObject } from '../../../charts/test/render.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import { freePort } from './ports.ts';
import { ManagedProcess } from './process.ts';

const GATE_BIN = fileURLToPath(new URL('../../../gate/bin/greenlight-gate.js', import.meta.url));
/** The namespace and release the greenlight-gate chart is installed as. */
export const GATE_NAMESPACE = 'greenlight';
export const GATE_RELEASE = 'greenlight-gate';
/** The namespace label the platform sets where every Canary must ask the gate. */
export const APPROVAL_LABEL = 'greenlight.dev/approval';
/** The user the harness's Flagger authenticates as (its static token, apiserver.ts). */
export const FLAGGER_USERNAME = 'flagger';

export interface Gate {
  process: ManagedProcess;
  url: string;
  kubeconfig: string;
}

export interface GateIdentity {
  /** A kubeconfig holding a token of the chart's ServiceAccount. */
  kubeconfig: string;
  /** `system:serviceaccount:<namespace>:<name>`. */
  username: string;
  /** What the chart rendered, as applied. */
  objects: K8sObject[];
}

/**
 * Installs the greenlight-gate chart (helm template, then apply: its ServiceAccount, the
 * Role it grants in `watchNamespace`, Service, Deployment, PodDisruptionBudget and its
 * admission policies) and returns a kubeconfig for its ServiceAccount, so the gate process
 * runs with exactly the chart's RBAC and a permission the chart forgot fails here as it
 * would in a cluster.
 *
 * The admission policies are on, as the chart installs them: the one approver is the
 * identity `kube` authenticates as (a SelfSubjectReview; the scenarios approve as it), and
 * `gateUrl` — the loopback URL the gate process listens on, which the scenarios' Canaries
 * call — counts as the gate, so every scenario's approvals, aborts and re-deploys pass
 * through the policies. `watchNamespace`, the functions' namespace, is labelled
 * greenlight.dev/approval=required as the platform step of docs/getting-started.md does, so
 * every Canary a scenario creates or changes there by anyone but the approver must be wired
 * to the gate (the require-gate policy). Flagger is the harness's (user `flagger`,
 * apiserver.ts), the only identity besides the approver the keep-policy lets write a primary
 * Deployment's pod template, so Flagger's own promotions pass through that policy too.
 * `values` replaces these defaults key by key, and `values.admissionPolicy` the keys of
 * `admissionPolicy` (approvers, gateUrls, flagger) one by one.
 */
export async function gateIdentity(
  kube: KubeClient,
  kc: KubeConfig,
  dir: string,
  server: string,
  caCert: string,
  watchNamespace: string,
  values: object = {},
  gateUrl?: string,
): Promise<GateIdentity> {
  const approver = (await kube.whoAmI()).username;
  const { admissionPolicy, ...rest } = values as { admissionPolicy?: object };
  const objects = await render(
    'greenlight-gate',
    {
      watchNamespace,
      ...rest,
      admissionPolicy: {
        approvers: { usernames: [approver] },
        gateUrls: gateUrl ? [gateUrl] : [],
        flagger: { usernames: [FLAGGER_USERNAME] },
        ...admissionPolicy,
      },
    },
    { release: GATE_RELEASE, namespace: GATE_NAMESPACE },
  );
  await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: GATE_NAMESPACE } });
  await kube.apply({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: watchNamespace, labels: { [APPROVAL_LABEL]: 'required' } },
  });
  for (const object of objects)
    await kube.apply({ ...object, metadata: { namespace: GATE_NAMESPACE, ...object.metadata } });
  const account = deploymentAccount(objects, GATE_RELEASE);
  // No token controller runs here; the TokenRequest API issues a bound token, as the
  // kubelet does for the pod's projected service-account volume.
  const request = await kc.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({
    name: account.metadata.name,
    namespace: GATE_NAMESPACE,
    body: { spec: { audiences: [], expirationSeconds: 7200 } },
  });
  const token = request.status?.token;
  if (!token)
    throw new Error(
      `the API server issued no token for ServiceAccount ${GATE_NAMESPACE}/${account.metadata.name}`,
    );
  return {
    kubeconfig: writeKubeconfig(
      join(dir, 'gate.kubeconfig'),
      server,
      caCert,
      account.metadata.name,
      token,
    ),
    username: `system:serviceaccount:${GATE_NAMESPACE}:${account.metadata.name}`,
    objects,
  };
}

/**
 * The ServiceAccount a Deployment of the rendered chart runs as: the chart renders the
 * gate's and the prober's (greenlight-probe), each for its own Deployment.
 */
export function deploymentAccount(objects: K8sObject[], deployment: string): K8sObject {
  const rendered = objects.find(
    (o) => o.kind === 'Deployment' && o.metadata.name === deployment,
  ) as { spec?: { template?: { spec?: { serviceAccountName?: string } } } } | undefined;
  const name = rendered?.spec?.template?.spec?.serviceAccountName;
  const account = objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === name);
  if (!account)
    throw new Error(
      `the greenlight-gate chart rendered no ServiceAccount for Deployment ${deployment}`,
    );
  return account;
}

export async function startGate(
  dir: string,
  kubeconfig: string,
  namespace: string,
  port?: number,
): Promise<Gate> {
  const listen = port ?? (await freePort());
  const url = `http://127.0.0.1:${listen}`;
  const process = new ManagedProcess({
    name: 'gate',
    // Node 24 under npm scripts: the gate runs its TypeScript sources directly.
    command: globalThis.process.execPath,
    args: [
      GATE_BIN,
      `--kubeconfig=${kubeconfig}`,
      `--namespace=${namespace}`,
      '--host=127.0.0.1',
      `--port=${listen}`,
    ],
    dir,
  });
  await process.waitUntil('ready (caches synced)', async () => (await fetch(`${url}/readyz`)).ok);
  return { process, url, kubeconfig };
}
