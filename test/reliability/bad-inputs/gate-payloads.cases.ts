// Requests the gate must refuse — Flagger's webhook payload gone wrong, or something that is
// not Flagger at all — each with its status and an answer that names what is wrong (the
// method, header, field or Canary) and what the gate wants instead. The Canary is approved,
// so a 200 for any of these would be a hole in the gate, not a missing approval.
import { canaryChecksum } from '@greenlight/core';
import { MAX_BODY_BYTES } from '../../../gate/src/body.ts';

export interface GateCase {
  name: string;
  method: string;
  path: string;
  /** The content-type header; none when empty. */
  contentType: string;
  body?: string;
  status: number;
  /** What is wrong, then what the gate wants. */
  says: [string, string];
}

/** The status the test gives the Canary: Flagger analysing one pod template. */
export const CASE_STATUS = { lastAppliedSpec: '5b8d9f7c6d', trackedConfigs: {} };

/**
 * The body Flagger POSTs to a webhook (pkg/controller/webhook.go: CanaryWebhookPayload),
 * with the checksum Flagger sends for CASE_STATUS, so a case is refused for what it breaks.
 */
export function flaggerPayload(name = 'chatbot', namespace = 'openfaas-fn') {
  const checksum = canaryChecksum(CASE_STATUS);
  return { name, namespace, phase: 'Progressing', checksum, metadata: {} };
}

const json = (body: unknown) => JSON.stringify(body);
const deep = (levels: number): string => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
const post = (body: string, status: number, says: [string, string]) => ({
  method: 'POST',
  path: '/gate/promotion',
  contentType: 'application/json',
  body,
  status,
  says,
});

export const GATE_CASES: GateCase[] = [
  {
    name: 'GET on the promotion gate',
    method: 'GET',
    path: '/gate/promotion',
    contentType: 'application/json',
    status: 405,
    says: ['/gate/promotion', 'takes POST'],
  },
  {
    name: 'PUT on the rollback gate',
    method: 'PUT',
    path: '/gate/rollback',
    contentType: 'application/json',
    body: '{}',
    status: 405,
    says: ['/gate/rollback', 'takes POST'],
  },
  {
    name: 'an unknown gate',
    method: 'POST',
    path: '/gate/open',
    contentType: 'application/json',
    body: '{}',
    status: 404,
    says: ['/gate/open', 'no such endpoint'],
  },
  {
    name: 'a form body',
    ...post('name=chatbot', 415, ['content-type', 'must be application/json']),
    contentType: 'application/x-www-form-urlencoded',
  },
  {
    name: 'a text body',
    ...post('{}', 415, ['content-type', 'must be application/json, got "text/plain"']),
    contentType: 'text/plain',
  },
  { name: 'invalid JSON', ...post('{"name":', 400, ['body', 'is not valid JSON']) },
  {
    name: 'a body over the size limit',
    ...post(json({ ...flaggerPayload(), pad: 'x'.repeat(MAX_BODY_BYTES) }), 413, [
      'body',
      `exceeds the ${MAX_BODY_BYTES}-byte limit`,
    ]),
  },
  { name: 'a JSON array', ...post('[]', 400, ['payload', '{name, namespace, phase, checksum}']) },
  { name: 'JSON null', ...post('null', 400, ['payload', '{name, namespace, phase, checksum}']) },
  {
    name: 'no name',
    ...post(json({ namespace: 'openfaas-fn', phase: 'Progressing', checksum: 'x' }), 400, [
      'field "name"',
      'is missing',
    ]),
  },
  {
    name: 'a numeric namespace',
    ...post(json({ ...flaggerPayload(), namespace: 7 }), 400, [
      'field "namespace"',
      'must be a string',
    ]),
  },
  {
    name: 'a name with a path in it',
    ...post(json(flaggerPayload('../chatbot')), 400, ['field "name"', 'must be a DNS-1123 label']),
  },
  {
    name: 'an injected name',
    ...post(json(flaggerPayload('chatbot" || true')), 400, [
      'field "name"',
      'must be a DNS-1123 label',
    ]),
  },
  {
    name: 'a unicode look-alike name',
    ...post(json(flaggerPayload('chаtbot')), 400, ['field "name"', 'must be a DNS-1123 label']),
  },
  { name: 'deeply nested JSON', ...post(deep(2000), 400, ['field "name"', 'is missing']) },
  {
    name: 'a canary in another namespace',
    ...post(json(flaggerPayload('chatbot', 'default')), 404, [
      'Canary default/chatbot',
      'the gate watches namespace default',
    ]),
  },
  {
    name: 'a canary that does not exist',
    ...post(json(flaggerPayload('other-bot')), 404, [
      'Canary openfaas-fn/other-bot',
      'Check that the webhook reaches the gate',
    ]),
  },
];
