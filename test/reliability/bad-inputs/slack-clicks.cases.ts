// Clicks on a rollout message's Approve button that the backend's Slack interactivity
// endpoint must refuse. Each starts from a good click (an approver's, on the message of the
// revision under analysis, signed now with the app's secret) and spoils one thing. A refusal
// before the click is read is the HTTP answer (401/400, an ephemeral body); one after it is
// read is Slack's 200 and an ephemeral reply on the click's response_url. Either says what is
// wrong and what to do, and nothing is written to the cluster.

export interface SlackClickCase {
  name: string;
  /** How the good click is spoiled. */
  spoil: {
    /** Sent without X-Slack-Signature and timestamp. */
    unsigned?: true;
    /** Signed with another secret. */
    secret?: string;
    /** Signed this many seconds ago. */
    ageSeconds?: number;
    /** The signed body changed after signing. */
    tampered?: true;
    /** The very request of an earlier accepted-and-refused click, sent again. */
    replayed?: true;
    user?: string;
    /** Fields of the button's value replaced, or the whole value. */
    value?: Record<string, string> | string;
    /** Another action_id than Greenlight's two. */
    action?: string;
    /** A body that is not a block_actions payload. */
    body?: string;
  };
  /** Of the HTTP answer. */
  status: 200 | 400 | 401;
  /** What is wrong, then what to do: in the HTTP body (4xx) or the response_url reply (200). */
  says: [string, string];
}

/** The stand-in's rollout: chatbot awaits approval of c0ffee1; only U0ALICE approves. */
export const SLACK_CLICK_CLUSTER = {
  revision: 'c0ffee1',
  promoted: 'beef001',
  approver: 'U0ALICE',
};

const SIGNED_BY_SLACK = 'send clicks through the Slack app whose interactivity URL this is';

export const SLACK_CLICK_CASES: SlackClickCase[] = [
  {
    name: 'an unsigned click',
    spoil: { unsigned: true },
    status: 401,
    says: ['not signed by Slack (no X-Slack-Signature)', SIGNED_BY_SLACK],
  },
  {
    name: 'a click signed with another secret (forged)',
    spoil: { secret: 'a-guessed-signing-secret' },
    status: 401,
    says: ['not signed by Slack (a wrong signature)', 'greenlight.slack.signingSecret'],
  },
  {
    name: 'a signed click whose body was changed (another user)',
    spoil: { tampered: true },
    status: 401,
    says: ['not signed by Slack (a wrong signature)', 'greenlight.slack.signingSecret'],
  },
  {
    name: 'a click signed six minutes ago (stale)',
    spoil: { ageSeconds: 360 },
    status: 401,
    says: ['signed more than five minutes from now', 'click again'],
  },
  {
    name: 'a click signed six minutes in the future',
    spoil: { ageSeconds: -360 },
    status: 401,
    says: ['signed more than five minutes from now', "check this server's clock"],
  },
  {
    name: 'a click sent again within the five minutes (replayed)',
    spoil: { replayed: true },
    status: 401,
    says: ['received before (a replay)', 'click the button again'],
  },
  {
    name: 'a signed body that is no block_actions click',
    spoil: { body: 'payload=%7B%22type%22%3A%22view_submission%22%7D' },
    status: 400,
    says: ['not a click on a Greenlight button', 'interactivity at this URL'],
  },
  {
    name: "a signed click on another button (action_id 'constructor')",
    spoil: { action: 'constructor' },
    status: 400,
    says: ['not a click on a Greenlight button', 'interactivity at this URL'],
  },
  {
    name: 'a click by someone who is no approver',
    spoil: { user: 'U0MALLORY' },
    status: 200,
    says: [
      '<@U0MALLORY> is not an approver of Canary openfaas-fn/chatbot',
      'greenlight.slack.channels',
    ],
  },
  {
    name: 'a click for a revision that is not under analysis (an old message)',
    spoil: { value: { revision: 'old0001' } },
    status: 200,
    says: ['revision old0001 is not under analysis', 'Approve revision c0ffee1'],
  },
  {
    name: 'a click for an earlier analysis run of the same revision',
    spoil: { value: { analysis: '2026-01-09T08:00:00Z' } },
    status: 200,
    says: ['is no longer the one under way', 'Look at the rollout as it is now'],
  },
  {
    name: 'a click for a Canary in a namespace no channel routes',
    spoil: { value: { namespace: 'team-b' } },
    status: 200,
    says: ['is not an approver of Canary team-b/chatbot', 'greenlight.slack.channels'],
  },
  {
    name: 'a click for a cluster that is not configured',
    spoil: { value: { cluster: 'elsewhere' } },
    status: 200,
    says: ['there is no cluster "elsewhere" in greenlight.clusters', 'known: sandbox'],
  },
  {
    name: "a click on a button that is not Greenlight's",
    spoil: { value: 'approve-everything' },
    status: 200,
    says: ["not one of Greenlight's rollout messages", 'Use the Approve and Roll back buttons'],
  },
];
