// Applies the upstream CRD files exactly as test/e2e/setup copied them from the Go module
// cache, and waits until the API server serves each (condition Established).
import { readFileSync } from 'node:fs';
import { loadYaml, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import type { KubeClient } from '@greenlight/core';

interface Crd extends KubernetesObject {
  status?: { conditions?: { type: string; status: string }[] };
}

export async function applyCrds(
  kube: KubeClient,
  files: string[],
  timeoutMs = 60_000,
): Promise<string[]> {
  const names: string[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      const object = typed(doc.toJS() as Crd | null);
      if (!object?.kind) continue;
      if (object.kind !== 'CustomResourceDefinition') {
        throw new Error(`${file}: expected only CustomResourceDefinitions, found ${object.kind}`);
      }
      await kube.apply(object);
      names.push(object.metadata?.name ?? '');
    }
  }
  const deadline = Date.now() + timeoutMs;
  for (const name of names) {
    for (;;) {
      const crd = await kube.get<Crd>({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        namespace: '',
        name,
      });
      if (crd?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'))
        break;
      if (Date.now() > deadline)
        throw new Error(`CRD ${name} not Established after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return names;
}

/**
 * The CRD as client-node's typed model. A plain object would lose
 * `x-kubernetes-int-or-string`, `enum`, `default` and `$ref` on the way out: client-node
 * serializes a CRD by its model's property names (xKubernetesIntOrString, _enum, _default,
 * ref), so JSON-named keys of a plain object are dropped. loadYaml deserializes into that
 * model; it is given JSON (valid YAML) because its js-yaml parser refuses Flagger's CRD file.
 */
function typed(object: Crd | null): Crd | null {
  return object && (loadYaml(JSON.stringify(object)) as Crd);
}
