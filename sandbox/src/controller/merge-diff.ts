// A JSON merge patch (RFC 7386) that turns `from` into `to`: keys missing from `to` are
// set to null. Flagger replaces objects with Update (PUT); through a merge patch the same
// replacement needs those nulls, or a removed annotation would survive on the primary.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function mergeDiff(from: unknown, to: unknown): Json {
  if (!isObject(from) || !isObject(to)) return (to ?? null) as Json;
  const patch: { [key: string]: Json } = {};
  for (const key of Object.keys(from)) {
    if (!(key in to) || to[key] === undefined) patch[key] = null;
  }
  for (const [key, value] of Object.entries(to)) {
    if (value === undefined) continue;
    if (isObject(value) && isObject(from[key])) patch[key] = mergeDiff(from[key], value);
    else patch[key] = value as Json;
  }
  return patch;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
