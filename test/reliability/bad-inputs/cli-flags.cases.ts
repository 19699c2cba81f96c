// CLI flags and arguments a user can get wrong. Each must exit 2, name the flag, argument or
// file at fault, say what to do, print nothing on stdout and write nothing to the API.
// (stack.yml files themselves are in stack-files.cases.ts.)
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REVISION_ANNOTATION } from '@greenlight/core';

export interface CliCase {
  name: string;
  argv: string[];
  env?: NodeJS.ProcessEnv;
  /** Fragments the error must contain: the culprit, then the fix. */
  says: string[];
}

const STACK = fileURLToPath(new URL('../../../examples/chatbot/stack.yml', import.meta.url));
const DIR = mkdtempSync(join(tmpdir(), 'greenlight-bad-cli-'));

function file(name: string, text: string): string {
  const path = join(DIR, name);
  writeFileSync(path, text);
  return path;
}

const files = {
  kubeconfig: file('broken-kubeconfig', 'clusters: [\n'),
  plainFile: file('plain-file', 'not a folder'),
};

const render = (...flags: string[]) => ['render', '--stack', STACK, ...flags];
const CANARY = 'openfaas-fn/chatbot';

/** What the runner puts on the API first: chatbot at rev-now, `unstamped` without a revision. */
export const CLI_CLUSTER = { revision: 'rev-now', unstamped: 'unstamped' };

export const CLI_CASES: CliCase[] = [
  // stack selection
  { name: 'no --stack', argv: ['render'], says: ["'--stack <file>'", '--help'] },
  {
    name: '--function matching nothing',
    argv: render('--function', 'slack-*'),
    says: ['"slack-*"', "The stack's functions are: chatbot"],
  },
  // canary options
  {
    name: 'an unknown --provider',
    argv: render('--provider', 'istio'),
    says: ['--provider', 'gatewayapi, linkerd'],
  },
  {
    name: 'an unknown --strategy',
    argv: render('--strategy', 'rolling'),
    says: ['--strategy', 'canary, blue-green'],
  },
  {
    name: '--step-weight that is not a number',
    argv: render('--step-weight', 'ten'),
    says: ['--step-weight', 'Give --step-weight a number'],
  },
  {
    name: '--step-weight above 100',
    argv: render('--step-weight', '150'),
    says: ['--step-weight', 'between 1 and 100'],
  },
  {
    name: '--max-weight below --step-weight',
    argv: render('--step-weight', '20', '--max-weight', '10'),
    says: ['--max-weight', 'Raise --max-weight or lower --step-weight'],
  },
  {
    name: '--step-weights that fall',
    argv: render('--step-weights', '5,50,25'),
    says: ['--step-weights', 'must rise', '5,10,25,50'],
  },
  {
    name: '--step-weights with a gap',
    argv: render('--step-weights', '5,,25'),
    says: ['--step-weights', 'comma-separated list like 5,10,25,50'],
  },
  {
    name: '--step-weights with --step-weight',
    argv: render('--step-weights', '5,10', '--step-weight', '5'),
    says: ['--step-weights', 'Give either --step-weight'],
  },
  {
    name: 'a step weight for blue-green',
    argv: render('--strategy', 'blue-green', '--step-weight', '10'),
    says: ['--step-weight', 'Drop --step-weight, or use --strategy canary'],
  },
  {
    name: '--iterations for a canary',
    argv: render('--iterations', '5'),
    says: ['--iterations', 'Add --strategy blue-green'],
  },
  {
    name: 'an --interval Flagger runs as 10s',
    argv: render('--interval', '5s'),
    says: ['--interval', 'at least 10s'],
  },
  {
    name: 'an --interval in hours',
    argv: render('--interval', '1h'),
    says: ['--interval', 'e.g. 30s, 1m or 1m30s'],
  },
  {
    name: '--gate-url without --approval',
    argv: render('--gate-url', 'http://gate:8080'),
    says: ['--gate-url', 'Add --approval'],
  },
  {
    name: 'a --gate-url that is not http',
    argv: render('--approval', '--gate-url', 'ftp://gate'),
    says: ['--gate-url', 'http:// or https:// URL'],
  },
  {
    name: '--min-success-rate above 100',
    argv: render('--min-success-rate', '120'),
    says: ['--min-success-rate', 'between 0 and 100'],
  },
  {
    name: '--max-latency-ms of 0',
    argv: render('--max-latency-ms', '0'),
    says: ['--max-latency-ms', 'above 0'],
  },
  { name: '--port out of range', argv: render('--port', '70000'), says: ['--port', '65535'] },
  {
    name: '--prometheus-address without scheme',
    argv: render('--prometheus-address', 'prometheus:9090'),
    says: ['--prometheus-address', 'http:// or https:// URL'],
  },
  {
    name: '--threshold of 0',
    argv: render('--threshold', '0'),
    says: ['--threshold', 'at least 1'],
  },
  {
    name: 'a --namespace Kubernetes refuses',
    argv: render('--namespace', 'Bots'),
    says: ['--namespace', "lowercase letters, digits and '-'"],
  },
  {
    name: 'a misspelt flag',
    argv: render('--step-weigth', '5'),
    says: ["'--step-weigth'", 'Did you mean --step-weight?'],
  },
  { name: 'an unknown command', argv: ['deploy'], says: ["'deploy'", '--help'] },
  // NAMESPACE/CANARY arguments
  {
    name: 'a canary without namespace',
    argv: ['status', 'chatbot'],
    says: ['NAMESPACE/CANARY', 'greenlight status openfaas-fn/chatbot'],
  },
  {
    name: 'a namespace Kubernetes refuses',
    argv: ['watch', 'OpenFaaS/chatbot'],
    says: ['NAMESPACE/CANARY', '"OpenFaaS"', 'Use lowercase letters'],
  },
  {
    name: 'no NAMESPACE/CANARY',
    argv: ['approve'],
    says: ["'namespace/canary'", '--help'],
  },
  {
    name: 'two canaries at once',
    argv: ['abort', CANARY, 'openfaas-fn/other'],
    says: ['too many arguments', '--help'],
  },
  {
    name: 'a canary that does not exist',
    argv: ['status', 'openfaas-fn/chatbott'],
    says: ['openfaas-fn/chatbott', 'kubectl get canaries -n openfaas-fn'],
  },
  {
    name: 'approving a canary that does not exist',
    argv: ['approve', 'openfaas-fn/chatbott'],
    says: ['openfaas-fn/chatbott', 'Check the namespace and the name'],
  },
  // cluster flags and kubeconfig
  {
    name: 'a --kubeconfig that does not exist',
    argv: ['status', CANARY, '--kubeconfig', join(DIR, 'nope')],
    says: ['nope (from --kubeconfig) does not exist', 'Check the path'],
  },
  {
    name: 'no kubeconfig at all',
    argv: ['approve', CANARY],
    env: { KUBECONFIG: '' },
    says: ['no Kubernetes configuration found', 'pass --kubeconfig or set KUBECONFIG'],
  },
  {
    name: 'a kubeconfig that is not YAML',
    argv: ['watch', CANARY, '--kubeconfig', files.kubeconfig],
    says: ['broken-kubeconfig', 'kubectl config view'],
  },
  {
    name: 'an unknown --context',
    argv: ['status', CANARY, '--context', 'prod'],
    says: ['--context', '"prod"', 'Use one of: greenlight-sandbox'],
  },
  {
    name: 'an unknown --output',
    argv: ['status', CANARY, '-o', 'yaml'],
    says: ["'-o, --output <format>'", 'text, json'],
  },
  {
    name: 'a --timeout below zero',
    argv: ['watch', CANARY, '--timeout', '-5'],
    says: ['--timeout', 'For example --timeout 600'],
  },
  // approval
  {
    name: 'approving a revision that is not under analysis',
    argv: ['approve', CANARY, '--revision', 'rev-old'],
    says: ['--revision: revision rev-old is not under analysis', 'Approve revision rev-now'],
  },
  {
    name: 'aborting a revision that is not under analysis',
    argv: ['abort', CANARY, '--revision', 'rev-old'],
    says: ['--revision: revision rev-old is not under analysis', 'Abort revision rev-now'],
  },
  // Was "a blank --by" (refused for not naming who asks): the API server names the writer
  // now and --by is only a note, so a blank one is no mistake. Approving while Flagger
  // analyses nothing is: an approval binds to one analysis (the cluster's Canary has none).
  {
    name: 'approving while Flagger analyses nothing',
    argv: ['approve', CANARY, '--by', ' '],
    says: ['Flagger is not analysing revision', 'wait until Flagger has started analysing'],
  },
  {
    name: 'approving when the target has no revision stamp',
    argv: ['approve', 'openfaas-fn/unstamped'],
    says: [REVISION_ANNOTATION, 'Deploy it with Greenlight'],
  },
  // rollback after promotion
  {
    name: 'rolling back with no canary named',
    argv: ['rollback', '--to', 'rev-old'],
    says: ["'namespace/canary'", '--help'],
  },
  {
    name: 'rolling back a canary that does not exist',
    argv: ['rollback', 'openfaas-fn/chatbott'],
    says: ['there is no Canary openfaas-fn/chatbott', 'Check the namespace and the name'],
  },
  {
    name: 'rolling back before Flagger has reported on the canary',
    argv: ['rollback', CANARY, '--to', 'rev-old'],
    says: [`${CANARY}: Flagger is rolling out revision rev-now`, `greenlight watch ${CANARY}`],
  },
  // sandbox
  {
    name: 'a sandbox --port that is not a number',
    argv: ['sandbox', '--port', 'http'],
    says: ['--port', 'Use 0'],
  },
  {
    name: 'a sandbox --kubeconfig-out that cannot be written',
    argv: ['sandbox', '--kubeconfig-out', join(files.plainFile, 'kubeconfig')],
    says: ['--kubeconfig-out', 'folder you can write to'],
  },
  {
    name: '--probe-rounds of 0',
    argv: render('--probe-rounds', '0'),
    says: ['--probe-rounds', 'must be an integer between 1 and 100'],
  },
  {
    name: '--probe-rounds making a run of the example’s probe longer than the prober takes',
    argv: render('--probe-rounds', '41'),
    says: ['--probe-rounds', 'a run sends 205 requests', 'e.g. --probe-rounds 40'],
  },
  {
    name: '--probes naming no file',
    argv: render('--probes', join(DIR, 'no-probes.yml')),
    says: ['--probes', 'leave --probes out to use probes.yml beside the stack file'],
  },
  // Flagger's alerts (docs/alerts.md)
  {
    name: '--alerts holding a webhook URL',
    argv: render('--alerts', 'slack:https://hooks.slack.com/services/T0/B0/not-for-logs'),
    says: ['--alerts', 'takes no webhook URL', 'give --alerts slack:rollouts-webhook'],
  },
  {
    name: '--alerts with an unknown severity',
    argv: render('--alerts', 'slack:rollouts-webhook@critical'),
    says: ['--alerts', '"@critical"', 'Use @info'],
  },
];
