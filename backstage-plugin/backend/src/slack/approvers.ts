import type { SlackApprovers } from './slack-config.ts';
import type { SlackClient } from './slack-client.ts';

/**
 * Whether Slack user `user` may approve or roll back under `approvers`: listed by ID, or a
 * member of a listed user group as Slack says now (usergroups.users.list), so that leaving
 * the group takes the right away at once.
 */
export async function isApprover(
  user: string,
  approvers: SlackApprovers,
  slack: Pick<SlackClient, 'groupMembers'>,
): Promise<boolean> {
  if (approvers.users.includes(user)) return true;
  for (const group of approvers.userGroups) {
    if ((await slack.groupMembers(group)).includes(user)) return true;
  }
  return false;
}
