import type {
  AuditorService,
  DatabaseService,
  HttpRouterService,
  LifecycleService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type express from 'express';
import type { MetricsService } from '../service/metrics-service.ts';
import type { RolloutCache } from '../service/rollout-cache.ts';
import { INTERACTIONS_PATH, slackInteractions } from './interactions.ts';
import { LiveMessages } from './live-messages.ts';
import { MessageStore } from './message-store.ts';
import { SlackClient } from './slack-client.ts';
import type { SlackConfig } from './slack-config.ts';

// Greenlight in Slack (docs/design.md, "Slack"): the live rollout messages, started with the
// backend and stopped before it, and the interactivity endpoint for their buttons.

export interface SlackDeps {
  database: DatabaseService;
  lifecycle: LifecycleService;
  httpRouter: HttpRouterService;
  auditor: AuditorService;
  logger: LoggerService;
  rollouts: RolloutCache;
  metrics: MetricsService;
  window: string;
}

/** Starts the messages; the router to mount for Slack's interactivity requests. */
export async function startSlack(config: SlackConfig, deps: SlackDeps): Promise<express.Router> {
  const store = await MessageStore.open(deps.database);
  const slack = new SlackClient({
    botToken: config.botToken,
    ...(config.apiUrl ? { apiUrl: config.apiUrl } : {}),
  });
  const live = new LiveMessages({
    rollouts: deps.rollouts,
    metrics: deps.metrics,
    store,
    slack,
    channels: config.channels,
    intervalMs: config.updateIntervalSeconds * 1000,
    window: deps.window,
    logger: deps.logger,
  });
  deps.lifecycle.addStartupHook(() => live.start());
  deps.lifecycle.addShutdownHook(() => live.stop());
  deps.httpRouter.addAuthPolicy({ path: INTERACTIONS_PATH, allow: 'unauthenticated' });
  return slackInteractions({
    signingSecret: config.signingSecret,
    channels: config.channels,
    slack,
    store,
    rollouts: deps.rollouts,
    auditor: deps.auditor,
    logger: deps.logger,
  });
}
