// Demo faults: real bugs a revision can switch on with DEMO_FAULT (one, or several joined
// by commas), so a canary of a bad version is bad in what its code answers — a reply bug a
// chat probe catches, a handler that fails on some messages, one that is slow — and
// Flagger's metrics and probes judge real replies.

export const DEMO_FAULTS = ['wrong-reply', 'fail-questions', 'slow-replies'] as const;
export type DemoFault = (typeof DEMO_FAULTS)[number];

/** DEMO_FAULT's faults; unset or empty is none, an unknown one is refused. */
export function parseDemoFaults(value: string | undefined): DemoFault[] {
  const names = (value ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  for (const name of names) {
    if (!(DEMO_FAULTS as readonly string[]).includes(name)) {
      throw new Error(
        `DEMO_FAULT=${JSON.stringify(value)}: "${name}" is not a demo fault; use ${DEMO_FAULTS.join(', ')} (comma-separated), or unset it`,
      );
    }
  }
  return [...new Set(names)] as DemoFault[];
}

/** fail-questions: the handler fails on a message ending with "?" (answered 500). */
export function failsOn(faults: readonly DemoFault[] = [], message: string): boolean {
  return faults.includes('fail-questions') && message.trim().endsWith('?');
}

/** wrong-reply: a greeting is answered with a goodbye. */
export function withFault(faults: readonly DemoFault[] = [], answer: string): string {
  return faults.includes('wrong-reply') ? answer.replace(/^hello\b/, 'goodbye') : answer;
}

/** slow-replies: 150 ms for every message, 700 ms for one longer than 20 characters. */
export function delayFor(faults: readonly DemoFault[] = [], message: string): number {
  if (!faults.includes('slow-replies')) return 0;
  return message.trim().length > 20 ? 700 : 150;
}
