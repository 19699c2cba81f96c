import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { parseDemoFaults } from './faults.ts';
import { handle, type ChatbotConfig } from './handler.ts';

// The HTTP edge: read the body, call the pure handler, write its reply. OpenFaaS routes
// /function/chatbot/* to this process on :8080 and probes /_/health.

const MAX_BODY_BYTES = 1024 * 1024;
// Where OpenFaaS mounts a secret listed under `secrets:` in stack.yml.
const SECRET_FILE = '/var/openfaas/secrets/slack-signing-secret';

export function configFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  secretFile: string = SECRET_FILE,
): ChatbotConfig {
  const signingSecret = env.SLACK_SIGNING_SECRET || readSecret(secretFile);
  const faults = parseDemoFaults(env.DEMO_FAULT);
  return {
    color: env.BOT_COLOR || 'blue',
    revision: env.BOT_REVISION || 'dev',
    ...(signingSecret && { signingSecret }),
    ...(faults.length > 0 && { faults }),
  };
}

export function createChatbotServer(config: ChatbotConfig): Server {
  return createServer(async (req, res) => {
    const body = await readBody(req).catch(() => null);
    if (body === null) return void res.destroy(); // the client went away mid-request
    const reply =
      body === undefined
        ? { status: 413, headers: { 'content-type': 'text/plain' }, body: 'request too large' }
        : handle(
            {
              method: req.method ?? 'GET',
              path: new URL(req.url ?? '/', 'http://localhost').pathname,
              headers: req.headers as Record<string, string | undefined>,
              body,
              now: Math.floor(Date.now() / 1000),
            },
            config,
          );
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    res.writeHead(reply.status, reply.headers).end(req.method === 'HEAD' ? undefined : reply.body);
  });
}

/** The body as text, or undefined when it is larger than MAX_BODY_BYTES. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function readSecret(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

if (import.meta.main) {
  let config: ChatbotConfig;
  try {
    config = configFromEnv();
  } catch (error) {
    console.error(`chatbot: ${(error as Error).message}`);
    process.exit(2);
  }
  const port = Number(process.env.PORT ?? 8080);
  const server = createChatbotServer(config).listen(port, () => {
    const signing = config.signingSecret
      ? 'verifying Slack signatures'
      : 'NOT verifying Slack signatures';
    const fault = config.faults ? `, DEMO FAULT ${config.faults.join(',')}` : '';
    console.log(
      `chatbot ${config.color} (${config.revision}) listening on :${port}, ${signing}${fault}`,
    );
  });
  // OpenFaaS (Kubernetes) stops a replica with SIGTERM: finish in-flight requests, then exit.
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}
