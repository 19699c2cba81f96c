// The sandbox's Flagger-behaving controller (see README.md, "The controller").
export { startController } from './controller.ts';
export type { Controller, ControllerOptions } from './controller.ts';
export { formatGoDuration } from './durations.ts';
export { callWebhook, webhookPayload } from './webhooks.ts';
export type { WebhookPayload } from './webhooks.ts';
