// Flagger's alerts (docs/alerts.md): one AlertProvider per destination beside each Canary,
// and the Canary's `analysis.alerts` naming them. A webhook URL is never an option: Flagger
// reads it from the `address` key of the Secret the destination names (events.go alert()).
import {
  ALERT_PROVIDER_TYPES,
  FLAGGER_API_VERSION,
  type AlertProvider,
  type AlertProviderType,
  type CanaryAlert,
} from 'flagger-types';
import { OptionError, type OptionText } from '../errors.ts';
import { isDnsLabel } from '../stack/names.ts';

/** Flagger's levels: `info` sends every alert, `warn` warnings and errors, `error` errors only. */
export const ALERT_SEVERITIES = ['info', 'warn', 'error'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** One place Flagger posts to: `<type>:<secret>[#<channel>][@<severity>]`. */
export interface AlertDestination {
  type: AlertProviderType;
  /** The Secret in the Canary's namespace whose `address` key holds the webhook URL. */
  secret: string;
  channel?: string;
  severity: AlertSeverity;
}

// The notifiers that post `channel` and `username` (slack.go, discord.go, rocket.go); msteams
// and gchat post to the channel their webhook belongs to and name no sender.
const NAMES_SENDER: readonly AlertProviderType[] = ['slack', 'discord', 'rocket'];

export const ALERTS_EXAMPLE = 'slack:rollouts-webhook#deploys@warn,msteams:teams-webhook';

const fail = (
  reason: string,
  fix: OptionText = (n) => `For example ${n('alerts', ALERTS_EXAMPLE)}.`,
) => new OptionError('alerts', () => reason, fix);

/** Parses the `alerts` option: destinations separated by commas. */
export function parseAlerts(value: unknown): AlertDestination[] {
  if (value === undefined) return [];
  if (typeof value !== 'string' || value.trim() === '') {
    throw fail(`must list destinations as <type>:<secret>, got ${JSON.stringify(value)}`);
  }
  const destinations = value.split(',').map((entry) => parseDestination(entry.trim()));
  const seen = new Set<string>();
  for (const { type, secret } of destinations) {
    const key = `${type}:${secret}`;
    if (seen.has(key)) {
      throw fail(`names ${key} twice`, () => 'Give each <type>:<secret> once.');
    }
    seen.add(key);
  }
  return destinations;
}

const ENTRY = /^([^:]*):([^#@]*)(?:#([^@]*))?(?:@(.*))?$/;
// Slack's rule for channel names: lowercase letters, digits, '-' and '_', at most 80.
const CHANNEL = /^[a-z0-9_-]{1,80}$/;

function parseDestination(entry: string): AlertDestination {
  // Never echoed: a URL (with or without its scheme) may be the webhook's credential.
  if (entry.includes('/')) {
    throw fail(
      'takes no webhook URL: a webhook URL is a credential, kept in a Secret',
      (n) =>
        `Store it as the address key of a Secret (kubectl create secret generic rollouts-webhook --from-literal=address=<url>) and give ${n('alerts', 'slack:rollouts-webhook')}.`,
    );
  }
  const match = ENTRY.exec(entry);
  if (!match) throw fail(`must name each destination as <type>:<secret>, got "${entry}"`);
  const [, type = '', secret = '', channel, severity] = match;
  if (!(ALERT_PROVIDER_TYPES as readonly string[]).includes(type)) {
    throw fail(
      `"${type}" in "${entry}" is not an alert provider of Flagger`,
      () =>
        `Use one of ${ALERT_PROVIDER_TYPES.join(', ')} (msteams is Microsoft Teams, gchat Google Chat).`,
    );
  }
  if (!isDnsLabel(secret)) {
    throw fail(
      `"${secret}" in "${entry}" is not a Secret name (lowercase letters, digits and '-', at most 63 characters)`,
      () =>
        "Name the Secret, in the function's namespace, whose address key holds the webhook URL.",
    );
  }
  const providerType = type as AlertProviderType;
  if (channel !== undefined && !NAMES_SENDER.includes(providerType)) {
    throw fail(
      `"${entry}" sets a channel, and Flagger's ${type} posts to the channel its webhook belongs to`,
      () => `Drop "#${channel}", or make the webhook in the channel you want.`,
    );
  }
  if (channel !== undefined && !CHANNEL.test(channel)) {
    throw fail(
      `"#${channel}" in "${entry}" is not a channel name (lowercase letters, digits, '-' and '_')`,
    );
  }
  if (severity !== undefined && !(ALERT_SEVERITIES as readonly string[]).includes(severity)) {
    throw fail(
      `"@${severity}" in "${entry}" is not a severity`,
      () => 'Use @info (every alert, the default), @warn (warnings and errors) or @error.',
    );
  }
  return {
    type: providerType,
    secret,
    ...(channel !== undefined ? { channel } : {}),
    severity: (severity ?? 'info') as AlertSeverity,
  };
}

// The sender the message shows; Slack apps' incoming webhooks keep their own (docs/alerts.md).
const CLUSTER_NAME = /^[A-Za-z0-9]([-A-Za-z0-9._]{0,61}[A-Za-z0-9])?$/;

/** Checks the `clusterName` option, which only names the sender of alerts. */
export function parseClusterName(value: unknown, alerts: AlertDestination[]): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !CLUSTER_NAME.test(value)) {
    throw new OptionError(
      'clusterName',
      () => `must be letters, digits, '-', '.' and '_', at most 63, got ${JSON.stringify(value)}`,
    );
  }
  if (alerts.length === 0) {
    throw new OptionError(
      'clusterName',
      (n) => `is only used with ${n('alerts')}`,
      (n) => `Add ${n('alerts', ALERTS_EXAMPLE)}, or drop ${n('clusterName')}.`,
    );
  }
  return value;
}

export interface RenderedAlerts {
  /** The Canary's `analysis.alerts`. */
  alerts: CanaryAlert[];
  providers: AlertProvider[];
}

/** The AlertProviders of function `name` (`<name>-<type>-<secret>`) and the Canary's alerts. */
export function renderAlerts(
  name: string,
  options: { namespace: string; alerts?: AlertDestination[]; clusterName?: string },
  labels: Record<string, string>,
): RenderedAlerts {
  const destinations = options.alerts ?? [];
  const providerName = (d: AlertDestination) => `${name}-${d.type}-${d.secret}`;
  const providers = destinations.map((d): AlertProvider => ({
    apiVersion: FLAGGER_API_VERSION,
    kind: 'AlertProvider',
    metadata: { name: providerName(d), namespace: options.namespace, labels },
    spec: {
      type: d.type,
      ...(d.channel !== undefined ? { channel: d.channel } : {}),
      ...(options.clusterName && NAMES_SENDER.includes(d.type)
        ? { username: `Flagger (${options.clusterName})` }
        : {}),
      secretRef: { name: d.secret },
    },
  }));
  const alerts = destinations.map((d): CanaryAlert => ({
    name: `${d.type}-${d.secret}`,
    severity: d.severity,
    providerRef: { name: providerName(d), namespace: options.namespace },
  }));
  return { alerts, providers };
}
