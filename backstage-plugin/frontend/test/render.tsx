import type { ReactNode } from 'react';
import type { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { EntityProvider, entityRouteRef } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { signalApiRef } from '@backstage/plugin-signals-react';
import type { SignalApi } from '@backstage/plugin-signals-react';
import { mockApis, renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { greenlightApiRef } from '../src/api/GreenlightApi.ts';
import type { GreenlightApi } from '../src/api/GreenlightApi.ts';
import { entity as defaultEntity } from './fixtures.ts';

/** Renders `element` in a Backstage test app, on an entity page, with the APIs given. */
export function renderWith(
  element: ReactNode,
  options: {
    api: GreenlightApi;
    allow?: boolean;
    entity?: Entity;
    /** Backstage's signals, as an app with the signals plugin has them; none by default. */
    signals?: SignalApi;
  },
) {
  const permission = mockApis.permission({
    authorize: options.allow === false ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
  });
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [greenlightApiRef, options.api],
        [permissionApiRef, permission],
        ...(options.signals ? [[signalApiRef, options.signals] as const] : []),
      ]}
    >
      <EntityProvider entity={options.entity ?? defaultEntity}>{element}</EntityProvider>
    </TestApiProvider>,
    // As in an app with the catalog: entity links resolve.
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}
