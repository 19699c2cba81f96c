import type { IncomingMessage } from 'node:http';

/** Flagger's payload is a few hundred bytes; anything near this limit is not Flagger. */
export const MAX_BODY_BYTES = 64 * 1024;

export class BodyError extends Error {
  readonly status: 400 | 413 | 415;
  constructor(status: 400 | 413 | 415, message: string) {
    super(message);
    this.status = status;
  }
}

/** Reads a JSON request body, refusing wrong content types, oversized bodies and bad JSON. */
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    request.resume();
    throw new BodyError(415, `content-type must be application/json, got "${type || 'none'}"`);
  }
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    request.resume();
    throw new BodyError(413, `body of ${declared} bytes exceeds the ${MAX_BODY_BYTES}-byte limit`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw new BodyError(413, `body exceeds the ${MAX_BODY_BYTES}-byte limit`);
    }
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BodyError(400, 'body is not valid JSON');
  }
}
