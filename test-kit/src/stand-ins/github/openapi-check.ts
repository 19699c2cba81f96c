// Checks a request against GitHub's own OpenAPI description (@octokit/openapi): the path and
// method exist, the query parameters are the operation's, and the JSON body matches the
// operation's schema — unknown fields included — so a wrong path, field or type fails a test.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  nullable?: boolean;
  additionalProperties?: boolean | Schema;
};
interface Operation {
  operationId: string;
  parameters?: { $ref?: string; name?: string; in?: string }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, Schema>;
    parameters: Record<string, { name: string; in: string }>;
  };
}

let cached: Spec | undefined;
function spec(): Spec {
  const require = createRequire(import.meta.url);
  const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
  return (cached ??= JSON.parse(readFileSync(file, 'utf8')) as Spec);
}

export interface CheckedRequest {
  operationId?: string;
  problems: string[];
}

export function checkRequest(method: string, url: string, body: unknown): CheckedRequest {
  const { paths, components } = spec();
  const { pathname, searchParams } = new URL(url, 'http://github.local');
  // A literal segment wins over a parameter (`/issues/comments/{id}` over `/issues/{n}/…`).
  const templates = Object.keys(paths)
    .filter((t) => pathRegex(t).test(pathname))
    .sort((a, b) => a.split('{').length - b.split('{').length);
  if (templates.length === 0)
    return { problems: [`${method} ${pathname}: no such path in GitHub's API`] };
  const template = templates.find((t) => paths[t]?.[method.toLowerCase()]);
  const operation = template ? paths[template]?.[method.toLowerCase()] : undefined;
  if (!operation) return { problems: [`${method} ${pathname}: no such operation`] };
  const problems: string[] = [];
  const queryNames = new Set(
    (operation.parameters ?? [])
      .map((p) => (p.$ref ? components.parameters[p.$ref.split('/').pop() as string] : p))
      .filter((p) => p?.in === 'query')
      .map((p) => p?.name),
  );
  for (const name of searchParams.keys()) {
    if (!queryNames.has(name))
      problems.push(`${operation.operationId}: unknown query parameter "${name}"`);
  }
  const schema = operation.requestBody?.content?.['application/json']?.schema;
  if (schema) validate(schema, body, operation.operationId, problems);
  else if (body !== undefined) problems.push(`${operation.operationId}: takes no body`);
  return { operationId: operation.operationId, problems };
}

function pathRegex(template: string): RegExp {
  const source = template
    .split(/\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return new RegExp(`^${source}$`);
}

function resolve(schema: Schema): Schema {
  if (!schema.$ref) return schema;
  return resolve(spec().components.schemas[schema.$ref.split('/').pop() as string] as Schema);
}

function validate(raw: Schema, value: unknown, at: string, problems: string[]): void {
  const schema = resolve(raw);
  if (value === null && (schema.nullable || typeOk(schema.type, 'null'))) return;
  if (schema.allOf) for (const part of schema.allOf) validate(part, value, at, problems);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) {
    const fits = alternatives.some((alt) => {
      const own: string[] = [];
      validate(alt, value, at, own);
      return own.length === 0;
    });
    if (!fits) problems.push(`${at}: ${JSON.stringify(value)} fits none of the allowed shapes`);
    return;
  }
  if (schema.enum && !schema.enum.includes(value)) {
    problems.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
    return;
  }
  const actual = typeOf(value);
  if (schema.type && !typeOk(schema.type, actual)) {
    problems.push(`${at}: expected ${String(schema.type)}, got ${actual}`);
    return;
  }
  if (actual === 'object' && schema.properties) {
    const object = value as Record<string, unknown>;
    for (const name of schema.required ?? []) {
      if (!(name in object)) problems.push(`${at}: missing required field "${name}"`);
    }
    for (const [name, child] of Object.entries(object)) {
      const property = schema.properties[name];
      if (property) validate(property, child, `${at}.${name}`, problems);
      else if (schema.additionalProperties === undefined || schema.additionalProperties === false) {
        problems.push(`${at}: unknown field "${name}"`);
      }
    }
  }
  if (actual === 'array' && schema.items) {
    (value as unknown[]).forEach((item, i) =>
      validate(schema.items as Schema, item, `${at}[${i}]`, problems),
    );
  }
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeOk(expected: string | string[] | undefined, actual: string): boolean {
  const list = Array.isArray(expected) ? expected : [expected];
  return list.includes(actual) || (actual === 'integer' && list.includes('number'));
}
