// The dev app's frontend on Backstage's new frontend system: the catalog (its entity
// pages), Backstage's notifications page (/notifications), Backstage's signals (left out
// with ?signals=off on the first URL, to compare the pages' polling), the Greenlight plugin,
// and a sign-in page that signs in as the guest user through the auth backend, so the
// backend knows who approves.
import '@backstage/ui/css/styles.css';
import ReactDOM from 'react-dom/client';
import { ConfigReader } from '@backstage/config';
import { SignInPage } from '@backstage/core-components';
import { createApp } from '@backstage/frontend-defaults';
import { createFrontendModule, type FrontendFeature } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import catalogModule from '@backstage/plugin-catalog/alpha';
import notificationsModule from '@backstage/plugin-notifications/alpha';
import signalsModule from '@backstage/plugin-signals/alpha';
import greenlightPlugin from '@greenlight/backstage-plugin-greenlight';

// To TypeScript (nodenext) the package is CommonJS, so the default import reads as its
// module; esbuild bundles its ES module, whose default export is the plugin itself.
const catalogPlugin = catalogModule as unknown as FrontendFeature;
const notificationsPlugin = notificationsModule as unknown as FrontendFeature;
const signalsPlugin = signalsModule as unknown as FrontendFeature;
const withSignals = new URLSearchParams(window.location.search).get('signals') !== 'off';

const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => (props) => <SignInPage {...props} auto providers={['guest']} />,
  },
});

// The backend serves this bundle, so the page's own origin is the backend's.
const config = ConfigReader.fromConfigs([
  {
    context: 'greenlight-dev-app',
    data: {
      app: { title: 'Greenlight dev app', baseUrl: window.location.origin },
      backend: { baseUrl: window.location.origin },
    },
  },
]);

const app = createApp({
  features: [
    catalogPlugin,
    notificationsPlugin,
    ...(withSignals ? [signalsPlugin] : []),
    greenlightPlugin,
    createFrontendModule({ pluginId: 'app', extensions: [signInPage] }),
  ],
  advanced: { configLoader: async () => ({ config }) },
});

ReactDOM.createRoot(document.getElementById('root')!).render(app.createRoot());
