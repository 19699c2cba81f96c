// Secret values for the secrets tests, and the ways they could leak: as given, base64'd
// (an Authorization header), or inside a basic-auth pair.

export const SECRETS = {
  registryPassword: 'regpw-7Hq2-s3cret-Zx9',
  kubeToken: 'kubetoken-4Lm8-s3cret-Qp3',
  wrongKubeToken: 'wrongtok-Jd7v-s3cret-Hb2',
  openfaasPassword: 'faaspw-2Vn6-s3cret-Rt5',
  githubToken: 'ghs_s3cretT0ken8Kd1Wq',
} as const;

const WINDOW = 10;

const b64 = (text: string) => Buffer.from(text).toString('base64');

/** Every form of every secret that must not appear in output. */
export function forbiddenForms(extra: Record<string, string> = {}): Record<string, string> {
  const forms: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...SECRETS, ...extra })) {
    forms[`${name} (base64)`] = b64(value);
    // Any ten characters in a row: a message that cut the value short, or wrapped it, still
    // leaks it (and the runner, which masks whole values, would not catch the piece).
    for (let at = 0; at + WINDOW <= value.length; at++) {
      forms[`${name} [${at}..${at + WINDOW})`] = value.slice(at, at + WINDOW);
    }
  }
  forms['openfaas basic auth'] = b64(`admin:${SECRETS.openfaasPassword}`);
  forms['registry basic auth'] = b64(`acme-bot:${SECRETS.registryPassword}`);
  return forms;
}

/** Which forbidden forms `text` contains, with a little context around the first hit. */
export function leaksIn(text: string, forms = forbiddenForms()): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(forms)) {
    const at = text.indexOf(value);
    if (at >= 0)
      found.push(`${name}: …${text.slice(Math.max(0, at - 60), at + value.length + 20)}…`);
  }
  return found;
}

/** A runner's log without its `::add-mask::` commands, which the runner consumes. */
export function withoutMaskCommands(log: string): string {
  return log
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}
