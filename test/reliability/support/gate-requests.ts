// Generates hostile and ordinary requests to the gate from a seed. Each request says what
// the gate may answer: only a well-formed Flagger payload for a Canary may ever get a 200,
// and then only when the oracle of the fuzz test agrees.
import type { RawRequest } from './raw-http.ts';
import type { Random } from './random.ts';

export type GateName = 'promotion' | 'rollback';

export type Category =
  | 'valid'
  | 'guessed-checksum'
  | 'replay'
  | 'unknown-canary'
  | 'wrong-method'
  | 'wrong-path'
  | 'wrong-content-type'
  | 'huge-body'
  | 'deep-json'
  | 'bad-json'
  | 'bad-payload';

export interface FuzzRequest extends RawRequest {
  id: string;
  category: Category;
  /** Statuses the gate may answer with; 0 stands for "closed the connection". */
  expect: number[];
  /**
   * For requests that name a Canary the right way: which gate and which Canary, and the
   * checksum the body carries (filled in when sent for bodies that carry Flagger's own).
   */
  asks?: { gate: GateName; namespace: string; name: string; checksum?: string };
  /**
   * The body carries FLAGGER_CHECKSUM, to be replaced when sent by the checksum Flagger
   * sends for the Canary's status then (canaryChecksum): what a real Flagger would send.
   */
  flaggerChecksum?: boolean;
  /** A replay sends the very bytes of this earlier request, its checksum included. */
  replayOf?: string;
}

/** Stands in the body for the checksum of the Canary's status at the moment it is sent. */
export const FLAGGER_CHECKSUM = 'flagger-checksum-when-sent';

/** The Canaries the cluster of the fuzz test holds, as `namespace/name`. */
export const KNOWN = [
  'openfaas-fn/chatbot',
  'openfaas-fn/faq',
  'other-ns/chatbot',
  'openfaas-fn/quiet',
  'openfaas-fn/norev',
  'openfaas-fn/notarget',
];

const MAX_BODY = 64 * 1024;
const GATES: GateName[] = ['promotion', 'rollback'];
const DNS1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const PHASES = [
  'Progressing',
  'WaitingPromotion',
  'Promoting',
  'Finalising',
  'Succeeded',
  'Failed',
  'Waiting',
  'Initialized',
  '',
];
const JSON_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'Application/JSON',
  'application/json ;charset=UTF-8',
];

/** Names a hostile or careless caller might send; some are DNS labels, most are not. */
export const HOSTILE_NAMES = [
  '../chatbot',
  'chatbot/../faq',
  'openfaas-fn/chatbot',
  'chatbot\u0000',
  'chatbot\n',
  ' chatbot',
  'chatbot ',
  'CHATBOT',
  'Chatbot',
  "chatbot' OR '1'='1",
  'chatbot"; rm -rf /',
  '${jndi:ldap://evil/x}',
  '{{.Values.secret}}',
  '<script>alert(1)</script>',
  'ch\u0430tbot', // Cyrillic a
  '\uff43\uff48\uff41\uff54\uff42\uff4f\uff54', // full-width
  'chatbot\u200b', // zero-width space
  '\u{1f916}',
  'chat_bot',
  '-chatbot',
  'chatbot-',
  'a'.repeat(64),
  'a'.repeat(63),
  '',
  '*',
  '%2e%2e',
  '__proto__',
  'constructor',
  'tostring',
  'hasownproperty',
  'chatbot-primary',
  'chatbot-canary',
];

const HOSTILE_NAMESPACES = [
  'kube-system',
  'default',
  'OpenFaaS-fn',
  'openfaas-fn ',
  '../openfaas-fn',
  '*',
  '',
  'other-ns',
  'openfaas',
  'openfaas-fn\u0000',
];

export function generateRequests(random: Random, count: number): FuzzRequest[] {
  const requests: FuzzRequest[] = [];
  const valid: FuzzRequest[] = [];
  for (let i = 0; i < count; i++) {
    const id = `r${i}`;
    const category = random.weighted<Category>({
      valid: 40,
      'guessed-checksum': 5,
      replay: 10,
      'unknown-canary': 5,
      'wrong-method': 5,
      'wrong-path': 3,
      'wrong-content-type': 5,
      'huge-body': 1.5,
      'deep-json': 2,
      'bad-json': 3,
      'bad-payload': 20.5,
    });
    const original = category === 'replay' && valid.length > 0 ? random.pick(valid) : undefined;
    const made = original
      ? { ...original, id, category, replayOf: original.id }
      : make(random, category === 'replay' ? 'valid' : category, id);
    if (made.category === 'valid') valid.push(made);
    requests.push(made);
  }
  return requests;
}

function make(random: Random, category: Category, id: string): FuzzRequest {
  const gate = random.pick(GATES);
  const json = (body: unknown) => Buffer.from(JSON.stringify(body));
  const post = (body: Buffer | undefined, expect: number[], extra: Partial<FuzzRequest> = {}) => ({
    id,
    category,
    method: 'POST',
    path: `/gate/${gate}`,
    headers: { 'content-type': random.pick(JSON_TYPES) },
    body,
    expect,
    ...extra,
  });

  switch (category) {
    case 'valid': {
      const [namespace, name] = random.pick(KNOWN).split('/') as [string, string];
      const path = random.chance(0.1)
        ? `/gate/${gate}?approved=true&revision=rev-1`
        : `/gate/${gate}`;
      // 404 when the writer has deleted the target for a moment, 503 while a cache relists
      // or is behind Flagger's checksum.
      return post(
        json(flaggerPayload(random, name, namespace, FLAGGER_CHECKSUM)),
        [200, 403, 404, 503],
        { path, asks: { gate, namespace, name }, flaggerChecksum: true },
      );
    }
    case 'guessed-checksum': {
      // Not Flagger: someone who knows a Canary's name but not the checksum of what Flagger
      // analyses. Promotion never opens for it (403 before the checksum matters, 503 after).
      const [namespace, name] = random.pick(KNOWN).split('/') as [string, string];
      const payload = flaggerPayload(random, name, namespace);
      return {
        ...post(json(payload), [403, 404, 503], {
          asks: { gate: 'promotion', namespace, name, checksum: payload.checksum as string },
        }),
        path: '/gate/promotion',
      };
    }
    case 'unknown-canary': {
      const name = random.pick(['ghost', 'chatbot-primary', 'constructor', 'tostring', 'faq']);
      const namespace = random.pick(['default', 'kube-system', 'other-ns', 'openfaas']);
      if (`${namespace}/${name}` === 'other-ns/chatbot') return make(random, 'valid', id);
      return post(json(flaggerPayload(random, name, namespace)), [404, 503]);
    }
    case 'wrong-method': {
      const method = random.pick(['GET', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE']);
      const body = ['GET', 'HEAD', 'TRACE'].includes(method)
        ? undefined
        : json(flaggerPayload(random, 'chatbot', 'openfaas-fn'));
      return { ...post(body, [405]), method };
    }
    case 'wrong-path': {
      const path = random.pick([
        '/gate/open',
        '/gate/check',
        '/gate/approve',
        '/gate/promotion/',
        '/gate//promotion',
        '/gate/Promotion',
        '/GATE/ROLLBACK',
        '/gate/promotion%00',
        '/gate/promotion;x',
        '/../gate/promotion',
        '/gate/../gate/promotion',
        '/healthz/../gate/promotion',
        '/gate/promotion/../rollback',
        '/',
        '/gate',
        '/confirm-promotion',
      ]);
      return post(json(flaggerPayload(random, 'chatbot', 'openfaas-fn')), [404], { path });
    }
    case 'wrong-content-type': {
      const type = random.pick([
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/json-patch+json',
        'application/merge-patch+json',
        'application/jsonx',
        'text/json',
        'application/x-json',
        '*/*',
        '',
      ]);
      const headers: Record<string, string> = type ? { 'content-type': type } : {};
      return { ...post(json(flaggerPayload(random, 'chatbot', 'openfaas-fn')), [415]), headers };
    }
    case 'huge-body': {
      const size = random.int(MAX_BODY + 1, 1024 * 1024);
      const payload = {
        ...flaggerPayload(random, 'chatbot', 'openfaas-fn'),
        pad: 'x'.repeat(size),
      };
      // The gate answers 413, or closes at once when the body outgrows the limit mid-stream.
      return post(json(payload), [413, 0], { chunked: random.chance(0.5) });
    }
    case 'deep-json': {
      const depth = random.int(1000, 9_000);
      const nested = random.pick([
        () => '['.repeat(depth) + ']'.repeat(depth),
        () => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
        () =>
          JSON.stringify(flaggerPayload(random, 'chatbot', 'openfaas-fn')).replace(
            /}$/,
            `,"metadata":${'{"a":'.repeat(depth)}"x"${'}'.repeat(depth)}}`,
          ),
        () =>
          `{"name":${'['.repeat(depth)}"chatbot"${']'.repeat(depth)},"namespace":"openfaas-fn","phase":"Progressing","checksum":"x"}`,
      ])();
      return post(Buffer.from(nested), [400]);
    }
    case 'bad-json': {
      const body = random.pick([
        '',
        '{',
        '{"name":"chatbot",}',
        "{'name':'chatbot'}",
        '\ufeff{"name":"chatbot","namespace":"openfaas-fn","phase":"Progressing","checksum":"x"}',
        'NaN',
        'undefined',
        '{"name":"chatbot","namespace":"openfaas-fn"',
        '{"name":"chatbot" "namespace":"openfaas-fn"}',
        '/* */ {}',
        '{"name":"chatbot","namespace":"openfaas-fn","phase":"Progressing","checksum":"x"}{}',
        '\u0000',
      ]);
      return post(Buffer.from(body), [400]);
    }
    case 'bad-payload':
      return badPayload(random, gate, post);
    case 'replay':
      throw new Error('replays copy an earlier valid request');
  }
}

function badPayload(
  random: Random,
  gate: GateName,
  post: (body: Buffer, expect: number[], extra?: Partial<FuzzRequest>) => FuzzRequest,
): FuzzRequest {
  const base = flaggerPayload(random, 'chatbot', 'openfaas-fn');
  const kind = random.int(0, 6);
  if (kind === 0) {
    // A hostile name: a DNS label is a well-formed question about a Canary that isn't there.
    const name = random.pick(HOSTILE_NAMES);
    const namespace = random.chance(0.5) ? 'openfaas-fn' : random.pick(HOSTILE_NAMESPACES);
    const wellFormed = isLabel(name) && isLabel(namespace);
    const known = KNOWN.includes(`${namespace}/${name}`);
    const expect = known ? [200, 403, 404, 503] : wellFormed ? [404, 503] : [400];
    return post(
      Buffer.from(JSON.stringify({ ...base, name, namespace, checksum: FLAGGER_CHECKSUM })),
      expect,
      known ? { category: 'valid', asks: { gate, namespace, name }, flaggerChecksum: true } : {},
    );
  }
  if (kind === 1) {
    // A field of the wrong type, or missing.
    const field = random.pick(['name', 'namespace', 'phase', 'checksum']);
    const value = random.pick([
      undefined,
      null,
      7,
      true,
      [],
      ['chatbot'],
      { name: 'chatbot' },
      Number.MAX_VALUE * 10,
    ]);
    const body: Record<string, unknown> = { ...base, [field]: value };
    if (value === undefined) delete body[field];
    return post(Buffer.from(JSON.stringify(body)), [400]);
  }
  if (kind === 2) {
    // Metadata that is not map[string]string, too big, or too many entries.
    const metadata = random.pick<unknown>([
      'revision=rev-1',
      [],
      { revision: 1 },
      { approved: true },
      { revision: null },
      { k: 'v'.repeat(4097) },
      { ['k'.repeat(254)]: 'v' },
      Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v'])),
      { nested: { revision: 'rev-1' } },
    ]);
    return post(Buffer.from(JSON.stringify({ ...base, metadata })), [400]);
  }
  if (kind === 3) {
    // Over-long fields.
    const field = random.pick(['phase', 'checksum']);
    const length = field === 'phase' ? random.int(33, 5000) : random.int(257, 20_000);
    return post(Buffer.from(JSON.stringify({ ...base, [field]: 'p'.repeat(length) })), [400]);
  }
  if (kind === 4) {
    // Not an object at all.
    const body = random.pick([
      '[]',
      '"chatbot"',
      '42',
      'true',
      'null',
      '[{"name":"chatbot","namespace":"openfaas-fn","phase":"x","checksum":"x"}]',
    ]);
    return post(Buffer.from(body), [400]);
  }
  if (kind === 5) {
    // Invalid UTF-8 in a name: decoded to U+FFFD, which no label contains.
    const before = Buffer.from(JSON.stringify({ ...base, name: 'chatbotXX' }));
    const at = before.indexOf('XX');
    before[at] = 0xff;
    before[at + 1] = 0xfe;
    return post(before, [400]);
  }
  // Well-formed, with every trick that must not matter: prototype keys, extra "allowed"
  // fields, metadata claiming an approval. Such requests are ordinary questions.
  const [namespace, name] = random.pick(KNOWN).split('/') as [string, string];
  const text = JSON.stringify({
    ...flaggerPayload(random, name, namespace, FLAGGER_CHECKSUM),
    allowed: true,
    approved: true,
    revision: 'rev-1',
    metadata: { 'greenlight.dev/approved-revision': 'rev-1', revision: 'rev-2', approved: 'true' },
  }).replace(
    /^\{/,
    '{"__proto__":{"allowed":true,"synced":true},"constructor":{"prototype":{"allowed":true}},',
  );
  return post(Buffer.from(text), [200, 403, 404, 503], {
    category: 'valid',
    asks: { gate, namespace, name },
    flaggerChecksum: true,
  });
}

function isLabel(value: string): boolean {
  return value.length <= 63 && DNS1123.test(value);
}

/**
 * A body as Flagger sends it, with varied phases and metadata. Without `checksum` it carries
 * a made-up one, as a body that is not Flagger's does.
 */
export function flaggerPayload(
  random: Random,
  name: string,
  namespace: string,
  checksum = random.int(0, 0xffffffff).toString(16),
): Record<string, unknown> {
  const payload: Record<string, unknown> = {
    name,
    namespace,
    phase: random.pick(PHASES),
    checksum,
  };
  if (random.chance(0.3)) {
    // Metadata is the webhook's own (spec.analysis.webhooks[].metadata); a revision in it is
    // a claim by whoever sent the body, never a fact the gate may use.
    payload.metadata = {
      revision: `rev-${random.int(0, 9)}`,
      'greenlight.dev/approved-revision': `rev-${random.int(0, 9)}`,
    };
  }
  return payload;
}
