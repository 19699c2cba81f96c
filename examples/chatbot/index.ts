// The example chatbot, for tests and the sandbox that run it in-process.
import { fileURLToPath } from 'node:url';

export { handle, HEALTH_PATH } from './chatbot/handler.ts';
export type { ChatbotConfig, ChatReply, ChatRequest } from './chatbot/handler.ts';
export { answer, say } from './chatbot/reply.ts';
export { DEMO_FAULTS, parseDemoFaults, type DemoFault } from './chatbot/faults.ts';
export { configFromEnv, createChatbotServer } from './chatbot/server.ts';
export { MAX_AGE_SECONDS, signSlackRequest, verifySlackSignature } from './chatbot/slack.ts';

/** Absolute path of the example's OpenFaaS stack file. */
export const stackFile = fileURLToPath(new URL('./stack.yml', import.meta.url));
