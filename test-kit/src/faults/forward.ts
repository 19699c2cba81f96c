// One request passed on to the API server behind a test proxy, its answer handed to
// `onAnswer` (the proxy decides what its client gets); either side closing ends the other.
import { request, type IncomingMessage, type ServerResponse } from 'node:http';

export function forward(
  upstream: URL,
  req: IncomingMessage,
  res: ServerResponse,
  onAnswer: (answer: IncomingMessage) => void = (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  },
): void {
  const proxied = request(
    {
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, host: upstream.host },
    },
    onAnswer,
  );
  proxied.on('error', () => res.destroy());
  res.on('close', () => proxied.destroy());
  req.pipe(proxied);
}
