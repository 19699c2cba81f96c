import { isMap, isScalar, Scalar, type Document } from 'yaml';

// faas-cli decodes these maps into Go map[string]string, and Go's YAML decoders store a plain
// scalar's source text in a string field: `read_timeout: 60` becomes "60", `debug: true` "true".
// Stack files rely on that (the OpenFaaS docs' own examples do), so these values are read as the
// text written. Labels and annotations are not in this list on purpose: they end up as
// Kubernetes metadata, where `com.openfaas.scale.min: 1` is the classic mistake, and we would
// rather point at the line than guess.
const TEXT_MAPS = ['environment', 'build_args', 'build_secrets', 'limits', 'requests'];

/** Rewrites the plain scalars faas-cli reads as text (version, env maps, resources) to strings. */
export function stringifyTextScalars(doc: Document): void {
  const version = doc.get('version', true);
  if (isScalar(version)) asText(version);
  const functions = doc.get('functions', true);
  if (!isMap(functions)) return;
  for (const fn of functions.items) {
    if (!isMap(fn.value)) continue;
    for (const field of fn.value.items) {
      if (!isScalar(field.key) || !TEXT_MAPS.includes(String(field.key.value))) continue;
      if (!isMap(field.value)) continue;
      for (const entry of field.value.items) {
        if (isScalar(entry.value)) asText(entry.value);
        else if (entry.value === null) entry.value = new Scalar(''); // `KEY:` with no value
      }
    }
  }
}

function asText(scalar: { value: unknown; source?: string }): void {
  if (typeof scalar.value === 'string') return;
  scalar.value = scalar.value === null ? '' : (scalar.source ?? String(scalar.value));
}
