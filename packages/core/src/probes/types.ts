// Chat probes (docs/design.md, "Chat probes"): per function, conversations a team keeps in
// probes.yml beside stack.yml. Flagger calls the prober through `pre-rollout` and `rollout`
// webhooks; the prober sends each turn to `<name>-canary` and checks the reply, so Linkerd
// records requests to green that real code answered, and Flagger's own metrics judge them.

/** What the bot receives in one turn, in the shape its real callers send. */
export type ProbeRequest =
  /** A web chat: JSON `{ "message": "...", "user"?: "..." }`. */
  | { kind: 'webchat'; message: string; user?: string }
  /** A Slack slash command: form-encoded `command`, `text`, `user_name`, signed by Slack. */
  | { kind: 'slack-command'; command: string; text: string; userName?: string }
  /** A Slack Events API `event_callback` whose `event` is this (type, text, user …), signed. */
  | { kind: 'slack-event'; event: Record<string, unknown> };

/** What the reply must be. Every given field must hold; `status` defaults to 200. */
export interface ProbeExpect {
  status?: number;
  /** A substring of the reply's text (the JSON `reply` / `text` field, else the body). */
  contains?: string;
  /** An RE2 pattern (Go's regexp: no backreferences or lookaround) the reply's text must match. */
  matches?: string;
}

export interface ProbeTurn {
  request: ProbeRequest;
  expect: ProbeExpect;
}

export interface ProbeConversation {
  name: string;
  turns: ProbeTurn[];
}

/** Where the bot's Slack signing secret is: a key of a Kubernetes Secret in its namespace. */
export interface SigningSecretRef {
  secret: string;
  key: string;
}

/** One function's probes: what the rendered webhooks carry (names of secrets, never values). */
export interface FunctionProbe {
  /** The path requests are posted to on `<name>-canary`; default `/`. */
  path: string;
  /** Needed when a conversation has a Slack turn. */
  signingSecret?: SigningSecretRef;
  conversations: ProbeConversation[];
}

/** The parsed probes file: the functions it names and where it came from. */
export interface ProbeFile {
  file: string;
  functions: Record<string, FunctionProbe>;
  /** The 1-based line of each function's entry, for problems found later (a function not in the stack). */
  lines?: Record<string, number>;
}

/** How one probe run went; a failure names the turn, the request and the reply. */
export interface ProbeRun {
  ok: boolean;
  /** Requests sent (each turn of each conversation, `rounds` times). */
  requests: number;
  durationMs: number;
  failure?: ProbeFailure;
}

export interface ProbeFailure {
  conversation: string;
  /** 1-based. */
  turn: number;
  /** The request as sent, shortened for a log line (never a signature or secret). */
  request: string;
  /** The reply as received: `<status> <body>`, shortened; or the network error. */
  reply: string;
  /** What did not hold: `does not contain "Hi"`, `status 500, expected 200`. */
  reason: string;
}
