// Serves the bundled frontend (dist/) as @backstage/plugin-app-backend does in a production
// app: mounted at /api/app, which the root router's default index path (backend-defaults'
// DefaultRootHttpRouter) also serves every path outside /api from. Files as they are, any
// other path gets index.html so the app's router can show it.
import { join } from 'node:path';
import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import express from 'express';

export function serveAppPlugin(dist: string) {
  return createBackendPlugin({
    pluginId: 'app',
    register(env) {
      env.registerInit({
        deps: { httpRouter: coreServices.httpRouter },
        async init({ httpRouter }) {
          const router = express.Router();
          router.use(express.static(dist, { index: false }));
          router.get(/.*/, (_req, res) => res.sendFile(join(dist, 'index.html')));
          httpRouter.use(router);
          // The sign-in page itself must load before anyone is signed in.
          httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
        },
      });
    },
  });
}
