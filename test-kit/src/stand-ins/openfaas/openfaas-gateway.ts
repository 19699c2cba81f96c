// An OpenFaaS gateway stand-in: basic auth as the real one checks it, and on
// `PUT /system/functions` it does what faas-netes does with the request — sets the
// function's Deployment image and copies the annotations to its pod template.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeClient } from '@greenlight/core';

export interface GatewayStandIn {
  url: string;
  close(): Promise<void>;
}

export async function startGateway(
  kube: KubeClient,
  password: string,
  options: { refuse?: boolean } = {},
): Promise<GatewayStandIn> {
  const expected = `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      if (options.refuse || req.headers.authorization !== expected) {
        res.writeHead(401, { 'content-type': 'text/plain' });
        return res.end('Invalid credentials\n');
      }
      const body = JSON.parse(text) as {
        service: string;
        namespace: string;
        image: string;
        annotations: Record<string, string>;
      };
      kube
        .mergePatch(
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            namespace: body.namespace,
            name: body.service,
          },
          {
            spec: {
              template: {
                metadata: { annotations: body.annotations },
                spec: { containers: [{ name: body.service, image: body.image }] },
              },
            },
          },
        )
        .then(
          () => {
            res.writeHead(202);
            res.end();
          },
          (error: Error) => {
            res.writeHead(500);
            res.end(error.message);
          },
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
