// Greenlight for Backstage: every chatbot's Flagger rollout with Linkerd's golden metrics,
// approve and roll back. The default export is the plugin for the new frontend system;
// the named exports serve apps on the legacy one.
export { greenlightFrontendPlugin as default } from './alpha.tsx';
export {
  greenlightPlugin,
  EntityGreenlightContent,
  EntityGreenlightCard,
  GreenlightPage,
} from './plugin.ts';
export { isGreenlightAvailable } from './components/entity-annotations.ts';
export { greenlightApiRef } from './api/GreenlightApi.ts';
export type { GreenlightApi, RolloutRef } from './api/GreenlightApi.ts';
export { GreenlightClient } from './api/GreenlightClient.ts';
