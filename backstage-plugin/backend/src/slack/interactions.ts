import type { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { abort, approve, UserError } from '@greenlight/core';
import type { RolloutCache } from '../service/rollout-cache.ts';
import { isApprover } from './approvers.ts';
import { parseClickValue } from './click-value.ts';
import type { ClickValue } from './click-value.ts';
import { APPROVE_ACTION, ROLLBACK_ACTION } from './message.ts';
import type { MessageStore } from './message-store.ts';
import { checkSignature, SIGNATURE_WINDOW_SECONDS } from './signature.ts';
import { routeFor } from './slack-config.ts';
import type { SlackChannelRoute } from './slack-config.ts';
import { replyEphemeral } from './slack-client.ts';
import type { SlackClient } from './slack-client.ts';

// Slack's interactivity endpoint: the Approve and Roll back buttons of a rollout's message.
// Backstage's auth does not apply (Slack holds no Backstage token); Slack's signature does,
// and it is checked before anything in the request is read. A click then writes exactly
// what every other path writes — core's approve or abort, bound to the revision and the
// analysis run the message showed — with `slack:<team>/<user>` as the note. Every refusal
// writes nothing and tells the clicker why, where only they see it.

export const INTERACTIONS_PATH = '/slack/interactions';

export interface InteractionOptions {
  signingSecret: string;
  channels: SlackChannelRoute[];
  slack: SlackClient;
  store: MessageStore;
  rollouts: RolloutCache;
  auditor: AuditorService;
  logger: LoggerService;
  now?: () => number;
}

interface BlockActions {
  type?: string;
  user?: { id?: string };
  team?: { id?: string };
  response_url?: string;
  actions?: { action_id?: string; value?: string }[];
}

const VERBS = new Map<unknown, 'approve' | 'abort'>([
  [APPROVE_ACTION, 'approve'],
  [ROLLBACK_ACTION, 'abort'],
]);

export function slackInteractions(options: InteractionOptions): express.Router {
  const { store, auditor } = options;
  const now = options.now ?? Date.now;
  const router = Router();
  router.post(
    INTERACTIONS_PATH,
    // The raw bytes: the signature is over them, not over a parse of them.
    express.raw({ type: () => true, limit: '256kb' }),
    async (req, res) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const refuse = async (status: number, text: string) => {
        const event = await auditor.createEvent({ eventId: 'slack-interaction', request: req });
        await event.fail({ error: new Error(text) });
        res
          .status(status)
          .json({ response_type: 'ephemeral', text: `Greenlight refused this request: ${text}` });
      };
      const check = checkSignature(
        options.signingSecret,
        {
          timestamp: req.header('x-slack-request-timestamp'),
          signature: req.header('x-slack-signature'),
        },
        raw,
        Math.floor(now() / 1000),
      );
      if (!check.ok) return refuse(401, check.why);
      const expires = (check.timestamp + SIGNATURE_WINDOW_SECONDS) * 1000;
      if (!(await store.firstSighting(check.signature, expires, now()))) {
        return refuse(
          401,
          'this exact request was received before (a replay): click the button again',
        );
      }
      const payload = parsePayload(raw);
      const action = payload?.actions?.[0];
      const verb = VERBS.get(action?.action_id);
      const responseUrl = payload?.response_url;
      if (payload?.type !== 'block_actions' || !verb || !responseUrl) {
        return refuse(
          400,
          "it is not a click on a Greenlight button: point only the Greenlight Slack app's interactivity at this URL",
        );
      }
      // Slack wants its answer within 3 s; the click's outcome follows on response_url.
      res.status(200).end();
      const reply = await click(options, req, {
        verb,
        value: parseClickValue(action?.value),
        user: payload.user?.id ?? '',
        team: payload.team?.id ?? '',
      });
      await replyEphemeral(responseUrl, reply).catch((error: Error) =>
        options.logger.warn(`Greenlight cannot answer a Slack click: ${error.message}`),
      );
    },
  );
  return router;
}

/** Does what a signed click asks if its clicker may; the reply for them either way. */
async function click(
  options: InteractionOptions,
  req: express.Request,
  asked: { verb: 'approve' | 'abort'; value: ClickValue | undefined; user: string; team: string },
): Promise<string> {
  const { verb, value, user, team } = asked;
  const by = `slack:${team}/${user}`;
  const canary = value ? `${value.namespace}/${value.name}` : undefined;
  const event = await options.auditor.createEvent({
    eventId: `rollout-${verb}`,
    severityLevel: 'medium',
    request: req,
    meta: { via: 'slack', by, ...(canary ? { canary } : {}) },
  });
  try {
    if (!value) {
      throw new UserError("this button is not one of Greenlight's rollout messages", {
        hint: 'Use the Approve and Roll back buttons of the rollout message Greenlight posted',
      });
    }
    const route = routeFor(options.channels, value);
    if (!route || !(await isApprover(user, route.approvers, options.slack))) {
      throw new UserError(
        `<@${user}> is not an approver of Canary ${canary}: ask one, or add your Slack user ID (or a user group of yours) to the approvers of its channel in greenlight.slack.channels`,
      );
    }
    options.rollouts.checkCluster(value.cluster);
    const found = await options.rollouts.lookup(value.cluster, value.namespace, value.name);
    if (!found) {
      throw new UserError(`there is no Canary ${canary} in cluster ${value.cluster}`, {
        hint: 'It was deleted since the message was posted; deploy it again to roll it out',
      });
    }
    const mark = verb === 'approve' ? approve : abort;
    const result = await mark(
      found.cluster.kube,
      { namespace: value.namespace, name: value.name },
      {
        revision: value.revision,
        analysis: { checksum: value.checksum, startedAt: value.analysis },
        note: by,
      },
    );
    await event.success({ meta: { revision: result.revision, cluster: value.cluster } });
    options.logger.info(
      `${by} ${verb === 'approve' ? 'approved' : 'aborted'} revision ${result.revision} of Canary ${canary} from Slack`,
    );
    return verb === 'approve'
      ? `You approved revision ${result.revision} of ${canary}: Flagger promotes it at its next check.`
      : `You asked Flagger to roll back revision ${result.revision} of ${canary}.`;
  } catch (error) {
    await event.fail({ error: error as Error });
    return `Greenlight did not ${verb === 'approve' ? 'approve' : 'roll back'}: ${(error as Error).message}`;
  }
}

function parsePayload(raw: Buffer): BlockActions | undefined {
  const text = new URLSearchParams(raw.toString('utf8')).get('payload');
  if (!text) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as BlockActions) : undefined;
  } catch {
    return undefined;
  }
}
