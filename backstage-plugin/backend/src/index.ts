// The Greenlight backend plugin for Backstage: `backend.add(import('@greenlight/backstage-plugin-greenlight-backend'))`.
export { greenlightPlugin as default } from './plugin.ts';
export { createRouter } from './router.ts';
export type { RouterOptions } from './router.ts';
export { greenlightNotificationsModule } from './notifications/module.ts';
export { greenlightRolloutsExtensionPoint } from './extension-point.ts';
export type { GreenlightRolloutsExtensionPoint } from './extension-point.ts';
