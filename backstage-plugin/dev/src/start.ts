// The Greenlight dev app: a small real Backstage app — the backend from
// @backstage/backend-defaults with the auth backend (guest sign-in), the catalog (the
// entities of one catalog file), Backstage's notifications and signals backends and
// Greenlight's backend plugin with its notifications module; the frontend on the new
// frontend system with the catalog and Greenlight's frontend plugin, bundled by esbuild and
// served by the same backend. Point it at any cluster: a kubeconfig and a Prometheus URL.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createBackend } from '@backstage/backend-defaults';
import { coreServices, createServiceFactory } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { parse } from 'yaml';
import { bundleApp } from './bundle.ts';
import { fileLoggerServiceFactory } from './file-logger.ts';
import { inMemoryDatabaseServiceFactory } from './node-sqlite.ts';
import { serveAppPlugin } from './serve-app.ts';

const APP_CONFIG = fileURLToPath(new URL('../app-config.yaml', import.meta.url));
export const EXAMPLE_CATALOG = fileURLToPath(
  new URL('../catalog/catalog-info.yaml', import.meta.url),
);

export interface DevAppOptions {
  /** The cluster Flagger runs in. */
  kubeconfig: string;
  /** Prometheus's HTTP API (the sandbox's stand-in serves the same API). */
  prometheusUrl: string;
  /** `sandbox` labels the metrics as the sandbox's synthetic ones. */
  metricsSource: 'prometheus' | 'sandbox';
  /** Catalog file with the annotated entities; default the example chatbot's. */
  catalogFile?: string;
  /** Port on 127.0.0.1; default a free one. */
  port?: number;
  /** Where Backstage's own log lines go. */
  logFile: string;
  /** Progress lines (bundling, started) and the backend's warnings. */
  log?: (line: string) => void;
}

export interface DevApp {
  url: string;
  /** The "Rollout" tab of a catalog Component. */
  rolloutUrl(component: string): string;
  stop(): Promise<void>;
}

export async function startDevApp(options: DevAppOptions): Promise<DevApp> {
  const log = options.log ?? (() => undefined);
  log('dev app: bundling the frontend with esbuild…');
  const started = Date.now();
  const dist = await bundleApp();
  log(`dev app: bundled in ${((Date.now() - started) / 1000).toFixed(1)} s; starting the backend…`);

  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const config = ConfigReader.fromConfigs([
    { context: APP_CONFIG, data: parse(readFileSync(APP_CONFIG, 'utf8')) as JsonObject },
    {
      context: 'greenlight-dev-app',
      data: {
        app: { baseUrl: url },
        backend: { baseUrl: url, listen: { host: '127.0.0.1', port } },
        catalog: {
          locations: [{ type: 'file', target: options.catalogFile ?? EXAMPLE_CATALOG }],
        },
        greenlight: {
          clusters: [{ name: 'default', kubeconfig: options.kubeconfig }],
          prometheus: { url: options.prometheusUrl },
          metrics: { source: options.metricsSource },
          notifications: { intervalSeconds: 2 },
        },
      },
    },
  ]);

  const backend = createBackend();
  backend.add(
    createServiceFactory({ service: coreServices.rootConfig, deps: {}, factory: () => config }),
  );
  backend.add(fileLoggerServiceFactory(options.logFile, log));
  backend.add(inMemoryDatabaseServiceFactory);
  // Backstage's packages are CommonJS: imported from ESM, `default` is their module.exports,
  // whose own `default` is the plugin.
  backend.add(import('@backstage/plugin-auth-backend').then((m) => m.default));
  backend.add(
    import('@backstage/plugin-auth-backend-module-guest-provider').then((m) => m.default),
  );
  backend.add(import('@backstage/plugin-catalog-backend').then((m) => m.default));
  backend.add(import('@backstage/plugin-notifications-backend').then((m) => m.default));
  // Carries Greenlight's signals to the pages (the live pages); ?signals=off on a page's URL
  // leaves the frontend's signals out, and the page polls.
  backend.add(import('@backstage/plugin-signals-backend').then((m) => m.default));
  backend.add(import('@greenlight/backstage-plugin-greenlight-backend'));
  backend.add(
    import('@greenlight/backstage-plugin-greenlight-backend').then((m) => ({
      default: m.greenlightNotificationsModule,
    })),
  );
  backend.add(serveAppPlugin(dist));
  await withoutExitHandlers(() => backend.start());
  log(`dev app: Backstage is up at ${url}`);

  return {
    url,
    rolloutUrl: (component) => `${url}/catalog/default/component/${component}/rollout`,
    stop: () => backend.stop(),
  };
}

// A started backend adds process-wide SIGINT, SIGTERM and beforeExit handlers that stop it
// and then call process.exit(0) (backend-app-api's BackendInitializer), which would end the
// process that embeds the dev app (`npm start`, a Jest worker) with exit code 0 before it
// has stopped its own parts. The embedding process calls stop() itself instead.
async function withoutExitHandlers(start: () => Promise<unknown>): Promise<void> {
  const events = ['SIGINT', 'SIGTERM', 'beforeExit'];
  const listeners = (event: string) => process.listeners(event as 'beforeExit') as unknown[];
  const before = new Map(events.map((event) => [event, new Set(listeners(event))]));
  try {
    await start();
  } finally {
    for (const event of events) {
      for (const listener of listeners(event)) {
        if (!before.get(event)!.has(listener)) {
          process.removeListener(event, listener as () => void);
        }
      }
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
