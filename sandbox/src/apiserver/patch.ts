// The patch formats a client can send. Pure functions over JSON values.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * JSON Merge Patch (RFC 7386): objects merge key by key, `null` removes a key, anything
 * else (arrays included) replaces the target value.
 */
export function mergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: Json;
  from?: string;
}

/** JSON Patch (RFC 6902). Throws an Error saying which operation failed. */
export function jsonPatch(target: Json, operations: unknown): Json {
  if (!Array.isArray(operations)) throw new Error('a JSON patch must be an array of operations');
  let doc = structuredClone(target);
  operations.forEach((raw: unknown, index) => {
    if (!isObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') {
      throw new Error(`operation ${index} needs "op" and "path"`);
    }
    const op = raw as unknown as JsonPatchOperation;
    try {
      doc = applyOperation(doc, op);
    } catch (err) {
      throw new Error(`operation ${index} (${op.op} ${op.path}): ${(err as Error).message}`, {
        cause: err,
      });
    }
  });
  return doc;
}

function applyOperation(doc: Json, op: JsonPatchOperation): Json {
  switch (op.op) {
    case 'add':
      return add(doc, op.path, structuredClone(required(op.value)));
    case 'remove':
      return remove(doc, op.path);
    case 'replace':
      get(doc, op.path);
      return add(remove(doc, op.path), op.path, structuredClone(required(op.value)));
    case 'move': {
      const value = get(doc, required(op.from));
      return add(remove(doc, required(op.from)), op.path, value);
    }
    case 'copy':
      return add(doc, op.path, structuredClone(get(doc, required(op.from))));
    case 'test':
      if (JSON.stringify(get(doc, op.path)) !== JSON.stringify(op.value)) {
        throw new Error('test failed');
      }
      return doc;
    default:
      throw new Error('unknown op');
  }
}

function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('missing "value" or "from"');
  return value;
}

function tokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`"${pointer}" is not a JSON pointer`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function get(doc: Json, pointer: string): Json {
  let node: Json | undefined = doc;
  for (const token of tokens(pointer)) {
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isObject(node)) node = node[token];
    else node = undefined;
    if (node === undefined) throw new Error(`path ${pointer} does not exist`);
  }
  return node as Json;
}

function parentOf(doc: Json, pointer: string): { parent: Json; key: string } {
  const path = tokens(pointer);
  const key = path.pop();
  if (key === undefined) throw new Error('cannot address the document root here');
  const parentPointer = path.map((t) => '/' + t.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
  return { parent: get(doc, parentPointer), key };
}

function add(doc: Json, pointer: string, value: Json): Json {
  if (pointer === '') return value;
  const { parent, key } = parentOf(doc, pointer);
  if (Array.isArray(parent)) {
    const index = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(index) || index < 0 || index > parent.length) {
      throw new Error(`index ${key} is out of range`);
    }
    parent.splice(index, 0, value);
  } else if (isObject(parent)) {
    parent[key] = value;
  } else {
    throw new Error(`path ${pointer} does not exist`);
  }
  return doc;
}

function remove(doc: Json, pointer: string): Json {
  get(doc, pointer);
  const { parent, key } = parentOf(doc, pointer);
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else if (isObject(parent)) delete parent[key];
  return doc;
}
