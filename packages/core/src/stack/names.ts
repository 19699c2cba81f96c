// OpenFaaS function names become Kubernetes Deployment and Service names, so they must be
// DNS-1123 labels (OpenFaaS YAML reference, "Function Name"): lowercase letters, digits and '-',
// starting and ending with a letter or digit, at most 63 characters. Namespaces follow the same rule.

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_LENGTH = 63;

export function isDnsLabel(name: string): boolean {
  return name.length <= MAX_LENGTH && DNS_LABEL.test(name);
}

/** A valid name close to `name`, e.g. `Slack_Bot` → `slack-bot`. */
export function suggestDnsLabel(name: string): string {
  const label = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .slice(0, MAX_LENGTH)
    .replace(/^-+|-+$/g, '');
  return label || 'my-function';
}
