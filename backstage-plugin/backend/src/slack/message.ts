import type { GoldenMetrics, GoldenSignals, RolloutView } from '@greenlight/core';
import type { ProbeRunEntry } from '@greenlight/backstage-plugin-greenlight-common';
import type { ClickValue } from './click-value.ts';

// One rollout's Slack message, as Block Kit: what it rolls out, where the traffic is, blue
// beside green, the probes, then the outcome — and Approve / Roll back while Flagger waits.
// Pure: the same rollout renders the same message, so an unchanged one is never re-sent.

export const APPROVE_ACTION = 'greenlight_approve';
export const ROLLBACK_ACTION = 'greenlight_rollback';

export interface MessageInput {
  cluster: string;
  view: RolloutView;
  /** Rounded for the message; null: the backend has none (no Prometheus, no traffic). */
  metrics: GoldenMetrics | null;
  /** The probe runs of the revision under analysis, newest first. */
  probes: ProbeRunEntry[];
  /** The revision that replaced this one before its promotion. */
  supersededBy?: string;
  /** Present while the rollout waits for an approval: what the buttons act on. */
  buttons?: ClickValue;
}

export interface SlackMessage {
  /** The notification's and screen readers' text. */
  text: string;
  blocks: object[];
}

export function renderMessage(input: MessageInput): SlackMessage {
  const { view, cluster } = input;
  const status = statusLine(input);
  const text = `${view.name} revision ${view.revision ?? '?'} (${view.namespace}, ${cluster}): ${status}`;
  const blocks: object[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: `${view.name} · revision ${view.revision ?? '?'}` },
    },
    {
      type: 'section',
      fields: [
        mrkdwn(`*Function*\n${escape(`${view.namespace}/${view.name}`)} in ${escape(cluster)}`),
        mrkdwn(
          `*Revision (commit)*\n\`${escape(view.revision ?? '?')}\` replacing \`${escape(view.promotedRevision ?? '?')}\``,
        ),
        mrkdwn(`*Live weight*\ngreen ${view.weights.green}% · blue ${view.weights.blue}%`),
        mrkdwn(
          `*Step*\n${view.step.current}/${view.step.total}, ${view.failedChecks}/${view.threshold} failed checks`,
        ),
      ],
    },
    { type: 'section', text: mrkdwn(metricsText(input.metrics)) },
    { type: 'section', text: mrkdwn(probesText(input.probes)) },
    { type: 'section', text: mrkdwn(`*${escape(status)}*\n${escape(view.reason)}`) },
  ];
  if (input.buttons) blocks.push(actions(input.buttons));
  return { text, blocks };
}

function statusLine({ view, supersededBy }: MessageInput): string {
  if (supersededBy) return `superseded by revision ${supersededBy}`;
  const by = view.approval?.note ?? view.approval?.by;
  switch (view.verdict) {
    case 'succeeded':
      return `promoted${by ? `, approved by ${by}` : ''}`;
    case 'failed':
      return view.abort?.matchesRevision
        ? `rolled back at the request of ${view.abort.note ?? view.abort.by ?? 'an operator'}`
        : 'rolled back';
    default:
      if (view.waitingForApproval) return 'waiting for approval';
      if (view.approval?.state === 'applies') return `approved by ${by}, promoting`;
      return `${view.phase.toLowerCase()}`;
  }
}

function metricsText(metrics: GoldenMetrics | null): string {
  if (!metrics) return '*Golden metrics*\nnone: the backend has no metrics for this rollout';
  const side = (name: string, signals: GoldenSignals) =>
    `${name}: success ${percent(signals.successRate)}, p99 ${ms(signals.p99Ms)}`;
  return `*Golden metrics (${metrics.window})*\n${side('blue', metrics.blue)}\n${side('green', metrics.green)}`;
}

function probesText(probes: ProbeRunEntry[]): string {
  if (probes.length === 0) return '*Probes*\nno probe run yet';
  const lines = probes.map((run) =>
    run.outcome === 'passed'
      ? `${run.webhook}: passed, ${run.requests} requests in ${run.durationMs} ms`
      : `${run.webhook}: failed: ${run.detail}`,
  );
  return `*Probes*\n${lines.map(escape).join('\n')}`;
}

function actions(value: ClickValue): object {
  const json = JSON.stringify(value);
  return {
    type: 'actions',
    block_id: 'greenlight_decision',
    elements: [
      {
        type: 'button',
        action_id: APPROVE_ACTION,
        style: 'primary',
        text: { type: 'plain_text', text: 'Approve' },
        value: json,
      },
      {
        type: 'button',
        action_id: ROLLBACK_ACTION,
        style: 'danger',
        text: { type: 'plain_text', text: 'Roll back' },
        value: json,
        confirm: {
          title: { type: 'plain_text', text: 'Roll back?' },
          text: { type: 'plain_text', text: `Flagger rolls revision ${value.revision} back.` },
          confirm: { type: 'plain_text', text: 'Roll back' },
          deny: { type: 'plain_text', text: 'Cancel' },
        },
      },
    ],
  };
}

const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });

const percent = (value: number | null) => (value === null ? 'no data' : `${value.toFixed(1)}%`);
const ms = (value: number | null) => (value === null ? 'no data' : `${Math.round(value)} ms`);

/** Slack's mrkdwn control characters; a bot's reply in a probe failure is not markup. */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
