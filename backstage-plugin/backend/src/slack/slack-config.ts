import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

// `greenlight.slack.*` of app-config (schema: config.d.ts), checked at startup like the rest
// of greenlight.* (../config.ts). Absent: the backend posts nothing to Slack and has no
// interactivity endpoint.

/** Who may press Approve or Roll back: Slack user IDs, and members of Slack user groups. */
export interface SlackApprovers {
  users: string[];
  userGroups: string[];
}

/** Where one namespace's (or one Canary's) rollouts are posted, and who may approve them. */
export interface SlackChannelRoute {
  namespace: string;
  /** This Canary only; absent: every Canary of the namespace. */
  canary?: string;
  /** This cluster only; absent: every cluster. */
  cluster?: string;
  /** A channel ID, e.g. C0123456789 (the bot must be a member). */
  channel: string;
  approvers: SlackApprovers;
}

export interface SlackConfig {
  botToken: string;
  signingSecret: string;
  /** The Web API's base URL; Slack's own by default. */
  apiUrl?: string;
  /** At most one update of a rollout's message per this many seconds. */
  updateIntervalSeconds: number;
  channels: SlackChannelRoute[];
}

export function readSlackConfig(config: Config): SlackConfig | undefined {
  const slack = config.getOptionalConfig('greenlight.slack');
  if (!slack) return undefined;
  const botToken = slack.getString('botToken');
  if (!botToken.startsWith('xoxb-')) {
    throw new InputError(
      'greenlight.slack.botToken is not a bot token; give the Slack app\'s "Bot User OAuth Token", which begins with xoxb-',
    );
  }
  const signingSecret = slack.getString('signingSecret');
  const apiUrl = slack.getOptionalString('apiUrl');
  if (apiUrl !== undefined && !/^https?:\/\//.test(apiUrl)) {
    throw new InputError(
      'greenlight.slack.apiUrl is not an http(s) URL; leave it out to use https://slack.com/api/',
    );
  }
  const updateIntervalSeconds = slack.getOptionalNumber('updateIntervalSeconds') ?? 15;
  if (!(updateIntervalSeconds >= 1)) {
    throw new InputError(
      `greenlight.slack.updateIntervalSeconds is ${updateIntervalSeconds}; give at least 1 (Slack allows about one chat.update per second per channel)`,
    );
  }
  const channels = (slack.getOptionalConfigArray('channels') ?? []).map(readRoute);
  if (channels.length === 0) {
    throw new InputError(
      'greenlight.slack.channels is empty: add a namespace and the channel ID its rollouts are posted to',
    );
  }
  return {
    botToken,
    signingSecret,
    ...(apiUrl ? { apiUrl } : {}),
    updateIntervalSeconds,
    channels,
  };
}

function readRoute(route: Config, index: number): SlackChannelRoute {
  const key = `greenlight.slack.channels[${index}]`;
  const channel = route.getString('channel');
  if (!/^[CG][A-Z0-9]+$/.test(channel)) {
    throw new InputError(
      `${key}.channel "${channel}" is not a channel ID; give the ID (e.g. C0123456789, from the channel's details in Slack), not its name`,
    );
  }
  const users = route.getOptionalStringArray('approvers.users') ?? [];
  const userGroups = route.getOptionalStringArray('approvers.userGroups') ?? [];
  users.forEach((user, i) => {
    if (!/^[UW][A-Z0-9]+$/.test(user))
      throw new InputError(
        `${key}.approvers.users[${i}] "${user}" is not a Slack user ID; give one such as U012ABCDEF`,
      );
  });
  userGroups.forEach((group, i) => {
    if (!/^S[A-Z0-9]+$/.test(group))
      throw new InputError(
        `${key}.approvers.userGroups[${i}] "${group}" is not a Slack user group ID; give one such as S0123ABCD`,
      );
  });
  const canary = route.getOptionalString('canary');
  const cluster = route.getOptionalString('cluster');
  return {
    namespace: route.getString('namespace'),
    ...(canary ? { canary } : {}),
    ...(cluster ? { cluster } : {}),
    channel,
    approvers: { users, userGroups },
  };
}

/**
 * The route for a Canary: one naming it beats one for its whole namespace; among equals,
 * the first listed. Undefined: its rollouts are not posted.
 */
export function routeFor(
  channels: SlackChannelRoute[],
  where: { cluster: string; namespace: string; name: string },
): SlackChannelRoute | undefined {
  const matches = channels.filter(
    (route) =>
      route.namespace === where.namespace &&
      (route.canary === undefined || route.canary === where.name) &&
      (route.cluster === undefined || route.cluster === where.cluster),
  );
  return matches.find((route) => route.canary !== undefined) ?? matches[0];
}
