// Action inputs a user can get wrong. Each fails the step with an error that starts with
// the input's name and says what to do, before anything is built, pushed or written to the
// cluster or to GitHub.

export interface ActionCase {
  name: string;
  inputs: Record<string, string>;
  /** The input the error starts with, then the fix it must give. */
  says: [string, string];
}

const UNREACHABLE = `apiVersion: v1
kind: Config
clusters: [{ name: gone, cluster: { server: 'http://127.0.0.1:1', insecure-skip-tls-verify: true } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: c, context: { cluster: gone, user: u } }]
current-context: c
`;
const NO_CONTEXT = `apiVersion: v1
kind: Config
clusters: [{ name: gone, cluster: { server: 'http://127.0.0.1:1' } }]
current-context: missing
`;

export const ACTION_CASES: ActionCase[] = [
  {
    name: 'an unknown command',
    inputs: { command: 'ship' },
    says: ['command', 'Write command: deploy'],
  },
  {
    name: 'a missing stack file',
    inputs: { 'stack-file': 'missing.yml' },
    says: ['stack-file', 'Check the path'],
  },
  {
    name: 'a function not in the stack',
    inputs: { functions: 'chatbot,nope' },
    says: ['functions', "The stack's functions are: chatbot, faq"],
  },
  {
    name: 'a function pattern with spaces',
    inputs: { functions: 'Chat Bot' },
    says: ['functions', 'List names from the stack file'],
  },
  {
    name: 'a step weight of 0',
    inputs: { 'step-weight': '0' },
    says: ['step-weight', 'between 1 and 100'],
  },
  {
    name: 'a step weight above 100',
    inputs: { 'step-weight': '101' },
    says: ['step-weight', 'between 1 and 100'],
  },
  {
    name: 'a step weight that is no number',
    inputs: { 'step-weight': 'ten' },
    says: ['step-weight', 'between 1 and 100'],
  },
  {
    name: 'max weight below the step weight',
    inputs: { 'step-weight': '20', 'max-weight': '10' },
    says: ['max-weight', 'Raise max-weight or lower step-weight'],
  },
  {
    name: 'falling step weights',
    inputs: { 'step-weights': '50,10' },
    says: ['step-weights', 'For example step-weights: 5,10,25,50'],
  },
  {
    name: 'step weights with a step weight',
    inputs: { 'step-weights': '5,10', 'step-weight': '5' },
    says: ['step-weights', 'Give either step-weight (with max-weight) or step-weights'],
  },
  {
    name: 'iterations for a canary',
    inputs: { iterations: '5' },
    says: ['iterations', 'Add strategy: blue-green, or drop iterations'],
  },
  {
    name: 'an unknown strategy',
    inputs: { strategy: 'rolling' },
    says: ['strategy', 'must be canary or blue-green'],
  },
  {
    name: 'an unknown provider',
    inputs: { provider: 'istio' },
    says: ['provider', 'must be linkerd or gatewayapi'],
  },
  { name: 'an interval under 10s', inputs: { interval: '5s' }, says: ['interval', 'at least 10s'] },
  {
    name: 'an interval in hours',
    inputs: { interval: '1h' },
    says: ['interval', 'e.g. 30s, 1m or 1m30s'],
  },
  {
    name: 'a timeout that is no duration',
    inputs: { timeout: 'forever' },
    says: ['timeout', 'Write a duration such as 30m'],
  },
  {
    name: 'a timeout of 0',
    inputs: { timeout: '0' },
    says: ['timeout', 'Write a duration such as 30m'],
  },
  {
    name: 'a success rate above 100',
    inputs: { 'min-success-rate': '120' },
    says: ['min-success-rate', 'between 0 and 100'],
  },
  {
    name: 'a negative latency',
    inputs: { 'max-latency-ms': '-1' },
    says: ['max-latency-ms', 'milliseconds above 0'],
  },
  { name: 'a threshold of 0', inputs: { threshold: '0' }, says: ['threshold', 'at least 1'] },
  {
    name: 'approval that is no boolean',
    inputs: { approval: 'yes' },
    says: ['approval', 'Write approval: true or approval: false'],
  },
  {
    name: 'a gate URL without approval',
    inputs: { 'gate-url': 'http://gate:8080' },
    says: ['gate-url', 'Add approval: true, or drop gate-url'],
  },
  {
    name: 'waiting for an approval that is off',
    inputs: { 'wait-until': 'awaiting-approval' },
    says: ['wait-until', 'Set approval: true, or wait-until: done'],
  },
  {
    name: 'an unknown wait-until',
    inputs: { 'wait-until': 'forever' },
    says: ['wait-until', 'Write wait-until: done'],
  },
  {
    name: 'an unknown builder',
    inputs: { builder: 'kaniko' },
    says: ['builder', 'Write builder: docker'],
  },
  {
    name: 'an unknown target',
    inputs: { target: 'lambda' },
    says: ['target', 'Write target: kubernetes'],
  },
  {
    name: 'target openfaas without a gateway',
    inputs: { target: 'openfaas' },
    says: ['openfaas-url', 'Set openfaas-url'],
  },
  {
    name: 'a kubeconfig that is a path',
    inputs: { kubeconfig: '/home/runner/.kube/config' },
    says: ['kubeconfig', 'Pass the text of the kubeconfig file from a secret'],
  },
  {
    name: 'a kubeconfig without a usable context',
    inputs: { kubeconfig: NO_CONTEXT },
    says: ['kubeconfig', 'with a current-context whose cluster is in it'],
  },
  {
    name: 'an unreachable cluster',
    inputs: { kubeconfig: UNREACHABLE },
    says: ['kubeconfig', 'Check that the cluster is reachable from the runner'],
  },
  {
    name: 'a registry with a scheme',
    inputs: { registry: 'https://ghcr.io/acme' },
    says: ['registry', 'Write it without scheme or tag, e.g. ghcr.io/acme'],
  },
  {
    name: 'a tag with a space',
    inputs: { tags: 'latest,release 1' },
    says: ['tags', "A tag has up to 128 letters, digits, '_', '.', '-'"],
  },
  {
    name: 'a platform without os',
    inputs: { platforms: 'amd64' },
    says: ['platforms', 'Write os/arch[/variant]'],
  },
  {
    name: 'a registry user without password',
    inputs: { registry: 'ghcr.io/acme', 'registry-username': 'bot' },
    says: ['registry-password', 'Set both to log in to the registry, or neither'],
  },
  {
    name: 'a portal URL without scheme',
    inputs: { 'portal-url': 'backstage.example.com' },
    says: ['portal-url', 'e.g. https://backstage.example.com'],
  },
  {
    name: 'a Prometheus URL that is not http',
    inputs: { 'prometheus-url': 'ftp://prometheus' },
    says: ['prometheus-url', 'e.g. https://prometheus'],
  },
  {
    name: 'a revision with a space',
    inputs: { revision: 'a b' },
    says: ['revision', 'Give a commit SHA'],
  },
  {
    name: 'changed-only that is no boolean',
    inputs: { 'changed-only': 'maybe' },
    says: ['changed-only', 'Write changed-only: true or changed-only: false'],
  },
  {
    name: 'a namespace with capitals',
    inputs: { namespace: 'OpenFaaS' },
    says: ['namespace', "lowercase letters, digits and '-'"],
  },
  {
    name: 'an environment with spaces',
    inputs: { environment: 'prod env' },
    says: ['environment', 'e.g. production'],
  },
  {
    name: 'a template language without faas-cli',
    inputs: { 'stack-file': 'template/stack.yml', builder: 'docker' },
    says: ['stack-file', 'Add a step that installs faas-cli'],
  },
  {
    name: 'promoting a revision that is not under analysis',
    inputs: { command: 'promote', revision: 'v9' },
    says: ['revision', 'Use revision: v2, or wait for v9 to be deployed'],
  },
  {
    name: 'promoting a function that has no Canary',
    inputs: { command: 'promote', functions: 'nope' },
    says: ['functions', 'Deploy first, or fix functions / namespace'],
  },
  {
    name: 'no probe rounds',
    inputs: { 'probe-rounds': '0' },
    says: ['probe-rounds', 'must be an integer between 1 and 100'],
  },
  {
    name: 'probe rounds making a run longer than the prober takes',
    inputs: { probes: 'probes-5-turns.yml', 'probe-rounds': '41' },
    says: ['probe-rounds', 'is 41, and with it a run sends 205 requests (5 turns × 41 rounds)'],
  },
  {
    name: 'a probe URL without a scheme',
    inputs: { 'probe-url': 'greenlight-probe:8080' },
    says: ['probe-url', 'must be an http:// or https:// URL'],
  },
  {
    name: 'a probes file that does not exist',
    inputs: { probes: 'probe.yml' },
    says: ['probes', 'leave probes out to use probes.yml beside the stack file'],
  },
  {
    name: 'blue-green for functions without probes',
    inputs: { strategy: 'blue-green' },
    says: [
      'strategy: blue-green needs a probe for function "chatbot"',
      'Give function "chatbot" conversations in the probes file (input probes',
    ],
  },
  // Flagger's alerts (docs/alerts.md)
  {
    name: 'an alerts destination holding a webhook URL',
    inputs: { alerts: 'slack:https://hooks.slack.com/services/T0/B0/not-for-logs' },
    says: ['alerts', 'kept in a Secret. Store it as the address key of a Secret'],
  },
  {
    name: 'an alerts channel for Teams',
    inputs: { alerts: 'msteams:teams-webhook#general' },
    says: ['alerts', 'Drop "#general", or make the webhook in the channel you want'],
  },
  {
    name: 'a cluster name without alerts',
    inputs: { 'cluster-name': 'prod-eu' },
    says: ['cluster-name', 'is only used with alerts. Add alerts: slack:'],
  },
];
