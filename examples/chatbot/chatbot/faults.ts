// Demo faults: real bugs a revision can switch on with DEMO_FAULT, so a canary of a bad
// version is bad in what its code answers (a reply bug a chat probe catches; a handler that
// fails on some messages) and Flagger's metrics and probes judge real replies.

export const DEMO_FAULTS = ['wrong-reply', 'fail-questions'] as const;
export type DemoFault = (typeof DEMO_FAULTS)[number];

/** DEMO_FAULT's value; unset or empty is no fault, anything else unknown is refused. */
export function parseDemoFault(value: string | undefined): DemoFault | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const fault = value.trim();
  if ((DEMO_FAULTS as readonly string[]).includes(fault)) return fault as DemoFault;
  throw new Error(
    `DEMO_FAULT=${JSON.stringify(value)} is not a demo fault: use one of ${DEMO_FAULTS.join(', ')}, or unset it`,
  );
}

/** fail-questions: the handler throws on a message ending with "?" (answered 500). */
export function failsOn(fault: DemoFault | undefined, message: string): boolean {
  return fault === 'fail-questions' && message.trim().endsWith('?');
}

/** wrong-reply: a greeting is answered with a goodbye. */
export function withFault(fault: DemoFault | undefined, answer: string): string {
  return fault === 'wrong-reply' ? answer.replace(/^hello\b/, 'goodbye') : answer;
}
