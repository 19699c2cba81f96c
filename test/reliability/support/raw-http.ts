// Raw HTTP requests, byte for byte as given: fetch would normalise paths, refuse some
// methods and set its own headers, and a fuzzer must be able to send what a client should not.
import { Agent, request } from 'node:http';

export interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Send the body with chunked transfer encoding, without a content-length. */
  chunked?: boolean;
}

export interface RawResponse {
  /** The status, or 0 when the connection ended before a response. */
  status: number;
  body: string;
  /** The socket error, when the server cut the connection. */
  error?: string;
}

export function rawAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets });
}

export function sendRaw(port: number, agent: Agent, raw: RawRequest): Promise<RawResponse> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (response: RawResponse) => {
      if (settled) return;
      settled = true;
      resolve(response);
    };
    const headers: Record<string, string | number> = { ...raw.headers };
    if (raw.body && !raw.chunked) headers['content-length'] = raw.body.length;
    if (raw.chunked) headers['transfer-encoding'] = 'chunked';
    const req = request(
      { host: '127.0.0.1', port, method: raw.method, path: raw.path, headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          settle({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', (error) =>
          settle({ status: res.statusCode ?? 0, body: '', error: error.message }),
        );
      },
    );
    // The gate may answer (413) and close before a huge body is written: not an error of ours.
    req.on('error', (error) => settle({ status: 0, body: '', error: error.message }));
    if (raw.body) req.end(raw.body);
    else req.end();
  });
}
