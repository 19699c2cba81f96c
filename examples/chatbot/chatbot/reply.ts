// What the bot says. Every answer names the colour and revision that produced it, so during a
// canary a person sees "blue" and "green" answer side by side.

export interface BotIdentity {
  color: string;
  revision: string;
}

const EMOJI: Record<string, string> = {
  green: '🟢',
  blue: '🔵',
  red: '🔴',
  yellow: '🟡',
  orange: '🟠',
  purple: '🟣',
};

/** `🟢 green (abc1234) says: pong` */
export function say(bot: BotIdentity, text: string): string {
  const emoji = EMOJI[bot.color.toLowerCase()] ?? '⚪';
  return `${emoji} ${bot.color} (${shortRevision(bot.revision)}) says: ${text}`;
}

/** The bot's answer to a message, before it is signed with the colour. */
export function answer(message: string, user?: string): string {
  const text = message.trim();
  const you = user ? ` @${user}` : '';
  if (text === '') return `hi${you}! Ask me anything, or try "ping" or "version".`;
  if (/^ping[.!?]*$/i.test(text)) return 'pong';
  if (/^(version|which version)[.!?]*$/i.test(text)) return 'this version answered you.';
  if (/^(hi|hello|hey)\b/i.test(text)) return `hello${you}!`;
  return `you said "${text}"`;
}

// A full commit SHA is long for a chat line; seven characters is what git shows.
function shortRevision(revision: string): string {
  return /^[0-9a-f]{40}$/.test(revision) ? revision.slice(0, 7) : revision;
}
