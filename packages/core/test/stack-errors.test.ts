import { describe, expect, it } from '@jest/globals';
import { parseStack, UserError } from '../src/index.ts';

// Every stack a user can get wrong, with the exact file:line, field and message they will read.

const HEAD = 'provider:\n  name: openfaas\nfunctions:\n';
const FN = (extra = '') =>
  `${HEAD}  slack-bot:\n    lang: dockerfile\n    handler: ./slack-bot\n    image: ghcr.io/acme/slack-bot:1.0\n${extra}`;

interface BadStack {
  name: string;
  text: string;
  line: number;
  field?: string;
  message: string;
}

const cases: BadStack[] = [
  {
    name: 'an empty file',
    text: '',
    line: 1,
    message:
      'stack.yml:1: the stack file is empty. Add "provider: {name: openfaas}" and a "functions:" map, as in examples/chatbot/stack.yml',
  },
  {
    name: 'a file with only comments',
    text: '# nothing here yet\n',
    line: 1,
    message:
      'stack.yml:1: the stack file is empty. Add "provider: {name: openfaas}" and a "functions:" map, as in examples/chatbot/stack.yml',
  },
  {
    name: 'a YAML syntax error (unclosed flow map)',
    text: `${HEAD}  slack-bot: {lang: dockerfile, handler: ./slack-bot\n`,
    line: 4,
    message:
      'stack.yml:4: invalid YAML: Flow map in block collection must be sufficiently indented and end with a }. Check the indentation, a missing ":" or an unclosed quote or bracket on this line or the one above',
  },
  {
    name: 'a tab used for indentation',
    text: `${HEAD}  slack-bot:\n\tlang: dockerfile\n`,
    line: 5,
    message:
      'stack.yml:5: invalid YAML: Tabs are not allowed as indentation. Indent with spaces; YAML does not allow tabs',
  },
  {
    name: 'the same function twice',
    text: `${HEAD}  slack-bot:\n    lang: a\n  slack-bot:\n    lang: b\n`,
    line: 6,
    message:
      'stack.yml:6: invalid YAML: Map keys must be unique. Each key may appear once in a mapping; merge the two entries or rename one',
  },
  {
    name: 'a list instead of a mapping',
    text: '- provider\n- functions\n',
    line: 1,
    message:
      'stack.yml:1: the stack file must be a YAML mapping. Start it with "provider:" and "functions:" keys at the left margin',
  },
  {
    name: 'no functions key',
    text: 'provider:\n  name: openfaas\n',
    line: 1,
    field: 'functions',
    message:
      'stack.yml:1 functions: functions is missing. Add at least one function under functions: (lang: dockerfile, handler: ./slack-bot, image: ghcr.io/acme/slack-bot:latest)',
  },
  {
    name: '`function:` instead of `functions:`',
    text: 'provider:\n  name: openfaas\nfunction:\n  slack-bot: {}\n',
    line: 3,
    field: 'function',
    message: 'stack.yml:3 function: unknown key "function". Did you mean "functions"?',
  },
  {
    name: 'an empty functions key',
    text: 'provider:\n  name: openfaas\nfunctions:\n',
    line: 3,
    field: 'functions',
    message:
      'stack.yml:3 functions: functions is empty. Add at least one function under functions: (lang: dockerfile, handler: ./slack-bot, image: ghcr.io/acme/slack-bot:latest)',
  },
  {
    name: 'an empty functions map',
    text: 'provider:\n  name: openfaas\nfunctions: {}\n',
    line: 3,
    field: 'functions',
    message:
      'stack.yml:3 functions: functions is empty. Add at least one function under functions: (lang: dockerfile, handler: ./slack-bot, image: ghcr.io/acme/slack-bot:latest)',
  },
  {
    name: 'no provider',
    text: 'functions:\n  slack-bot:\n    lang: dockerfile\n    handler: ./slack-bot\n    image: acme/slack-bot\n',
    line: 1,
    field: 'provider',
    message:
      'stack.yml:1 provider: provider is missing. Add "provider:" with "name: openfaas" (and optionally "gateway: http://127.0.0.1:8080")',
  },
  {
    name: 'the retired provider name faas',
    text: FN().replace('openfaas', 'faas'),
    line: 2,
    field: 'provider.name',
    message:
      'stack.yml:2 provider.name: provider.name must be "openfaas", not "faas". "faas" is the retired name of the same provider; write name: openfaas',
  },
  {
    name: 'a provider other than openfaas',
    text: FN().replace('openfaas', 'aws-lambda'),
    line: 2,
    field: 'provider.name',
    message:
      'stack.yml:2 provider.name: provider.name must be "openfaas", not "aws-lambda". Greenlight ships OpenFaaS functions only; write name: openfaas',
  },
  {
    name: 'a gateway that is not a URL',
    text: FN().replace('  name: openfaas\n', '  name: openfaas\n  gateway: 127.0.0.1:8080\n'),
    line: 3,
    field: 'provider.gateway',
    message:
      'stack.yml:3 provider.gateway: gateway "127.0.0.1:8080" is not an http(s) URL. Write the OpenFaaS gateway URL, e.g. http://127.0.0.1:8080',
  },
  {
    name: 'an unsupported stack version',
    text: `version: 2.0\n${FN()}`,
    line: 1,
    field: 'version',
    message:
      'stack.yml:1 version: unsupported stack version "2.0". Write version: 1.0, or remove the line',
  },
  {
    name: 'a function without image',
    text: `${HEAD}  slack-bot:\n    lang: dockerfile\n    handler: ./slack-bot\n`,
    line: 4,
    field: 'functions.slack-bot.image',
    message:
      'stack.yml:4 functions.slack-bot.image: image is missing. Set image: to the reference to build and push, e.g. ghcr.io/acme/slack-bot:latest',
  },
  {
    name: 'a function without handler',
    text: `${HEAD}  slack-bot:\n    lang: dockerfile\n    image: acme/slack-bot\n`,
    line: 4,
    field: 'functions.slack-bot.handler',
    message:
      "stack.yml:4 functions.slack-bot.handler: handler is missing. Set handler: to the folder with the function's source, relative to the stack file, e.g. ./slack-bot",
  },
  {
    name: 'a function without lang',
    text: `${HEAD}  slack-bot:\n    handler: ./slack-bot\n    image: acme/slack-bot\n`,
    line: 4,
    field: 'functions.slack-bot.lang',
    message:
      'stack.yml:4 functions.slack-bot.lang: lang is missing. Set lang: to the build template, e.g. "dockerfile" for a folder with its own Dockerfile',
  },
  {
    name: 'a function with no settings',
    text: `${HEAD}  slack-bot:\n`,
    line: 4,
    field: 'functions.slack-bot',
    message:
      'stack.yml:4 functions.slack-bot: function "slack-bot" has no settings. Give it lang: dockerfile, handler: ./slack-bot, image: ghcr.io/acme/slack-bot:latest',
  },
  {
    name: 'a number as a label value',
    text: FN('    labels:\n      com.openfaas.scale.min: 1\n'),
    line: 9,
    field: 'functions.slack-bot.labels["com.openfaas.scale.min"]',
    message:
      'stack.yml:9 functions.slack-bot.labels["com.openfaas.scale.min"]: com.openfaas.scale.min must be a string, not the number 1. Quote it: com.openfaas.scale.min: "1" (Kubernetes label values are strings)',
  },
  {
    name: 'a boolean as an annotation value',
    text: FN('    annotations:\n      linkerd.io/inject: true\n'),
    line: 9,
    field: 'functions.slack-bot.annotations["linkerd.io/inject"]',
    message:
      'stack.yml:9 functions.slack-bot.annotations["linkerd.io/inject"]: linkerd.io/inject must be a string, not the boolean true. Quote it: linkerd.io/inject: "true" (Kubernetes annotation values are strings)',
  },
  {
    name: 'a function name with capitals and an underscore',
    text: `${HEAD}  Slack_Bot:\n    lang: dockerfile\n    handler: ./slack-bot\n    image: acme/slack-bot\n`,
    line: 4,
    field: 'functions.Slack_Bot',
    message:
      'stack.yml:4 functions.Slack_Bot: invalid function name "Slack_Bot". Use lowercase letters, digits and \'-\', starting and ending with a letter or digit, at most 63 characters, e.g. "slack-bot"',
  },
  {
    name: 'a function name longer than 63 characters',
    text: `${HEAD}  ${'a'.repeat(64)}:\n    lang: dockerfile\n    handler: ./a\n    image: acme/a\n`,
    line: 4,
    field: 'functions.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    message:
      'stack.yml:4 functions.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: invalid function name "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa". Use lowercase letters, digits and \'-\', starting and ending with a letter or digit, at most 63 characters, e.g. "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"',
  },
  {
    name: 'an invalid namespace',
    text: FN('    namespace: Bots\n'),
    line: 8,
    field: 'functions.slack-bot.namespace',
    message:
      'stack.yml:8 functions.slack-bot.namespace: invalid namespace "Bots". Kubernetes namespaces use lowercase letters, digits and \'-\', e.g. "bots"',
  },
  {
    name: 'an image with capitals in the repository',
    text: FN().replace('acme/slack-bot:1.0', 'Acme/Slack-Bot:1.0'),
    line: 7,
    field: 'functions.slack-bot.image',
    message:
      'stack.yml:7 functions.slack-bot.image: invalid image reference "ghcr.io/Acme/Slack-Bot:1.0". Repository names must be lowercase: write "ghcr.io/acme/slack-bot:1.0"',
  },
  {
    name: 'an image written as a URL',
    text: FN().replace('ghcr.io/acme/slack-bot:1.0', 'https://ghcr.io/acme/slack-bot'),
    line: 7,
    field: 'functions.slack-bot.image',
    message:
      'stack.yml:7 functions.slack-bot.image: invalid image reference "https://ghcr.io/acme/slack-bot". Drop the scheme: an image is registry/repository:tag, e.g. ghcr.io/acme/slack-bot:latest',
  },
  {
    name: 'an image with an invalid tag',
    text: FN().replace('ghcr.io/acme/slack-bot:1.0', 'acme/slack-bot:v1+2'),
    line: 7,
    field: 'functions.slack-bot.image',
    message:
      "stack.yml:7 functions.slack-bot.image: invalid image reference \"acme/slack-bot:v1+2\". Write it as [registry/]repository[:tag], e.g. ghcr.io/acme/slack-bot:latest (repository: lowercase letters, digits, '.', '_', '-', '/'; tag: up to 128 letters, digits, '_', '.', '-')",
  },
  {
    name: 'an image built from an unset variable',
    text: FN().replace('ghcr.io/acme/slack-bot:1.0', '${REGISTRY}/slack-bot:1.0'),
    line: 7,
    field: 'functions.slack-bot.image',
    message:
      'stack.yml:7 functions.slack-bot.image: invalid image reference "/slack-bot:1.0". It has an empty part; check the variables it is built from, e.g. ghcr.io/acme/slack-bot:latest (${REGISTRY} was unset or empty)',
  },
  {
    name: 'a misspelt function key',
    text: FN('    enviroment:\n      BOT_COLOR: green\n'),
    line: 8,
    field: 'functions.slack-bot.enviroment',
    message:
      'stack.yml:8 functions.slack-bot.enviroment: unknown key "enviroment". Did you mean "environment"?',
  },
  {
    name: 'a function key OpenFaaS does not have',
    text: FN('    replicas: 3\n'),
    line: 8,
    field: 'functions.slack-bot.replicas',
    message:
      'stack.yml:8 functions.slack-bot.replicas: unknown key "replicas". Remove it; the keys allowed here are lang, handler, image, namespace, environment, environment_file, secrets, labels, annotations, limits, requests, build_args, build_options, platforms, skip_build, readonly_root_filesystem, constraints, fprocess, build_secrets, dockerfile',
  },
  {
    name: 'secrets written as a string',
    text: FN('    secrets: slack-signing-secret\n'),
    line: 8,
    field: 'functions.slack-bot.secrets',
    message:
      'stack.yml:8 functions.slack-bot.secrets: secrets must be a list, not the string "slack-signing-secret". Write it as a list: secrets: [slack-signing-secret]',
  },
  {
    name: 'a quoted boolean',
    text: FN('    skip_build: "yes"\n'),
    line: 8,
    field: 'functions.slack-bot.skip_build',
    message:
      'stack.yml:8 functions.slack-bot.skip_build: skip_build must be true or false, not the string "yes". Write skip_build: true or skip_build: false, without quotes',
  },
  {
    name: 'environment written as a list',
    text: FN('    environment:\n      - BOT_COLOR=green\n'),
    line: 8,
    field: 'functions.slack-bot.environment',
    message:
      'stack.yml:8 functions.slack-bot.environment: environment must be a mapping, not a list. Write environment: as "name: value" lines indented under it',
  },
  {
    name: 'an unclosed variable reference',
    text: FN().replace('ghcr.io/acme/slack-bot:1.0', '${REGISTRY/slack-bot'),
    line: 7,
    message:
      'stack.yml:7: unclosed variable reference "${REGISTRY/slack-bot". Close it with "}", or write "$$" for a literal dollar sign',
  },
  {
    name: 'an unsupported variable operator',
    text: FN().replace('ghcr.io/acme/slack-bot:1.0', '${REGISTRY:?set it}/slack-bot'),
    line: 7,
    message:
      'stack.yml:7: unsupported variable reference "${REGISTRY:?set it}". Use ${VAR}, ${VAR:-default} or ${VAR:=default}, or write "$$" for a literal dollar sign',
  },
];

function errorOf(text: string): UserError {
  try {
    parseStack(text, 'stack.yml', {});
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected parseStack to throw');
}

describe('parseStack refuses a broken stack file', () => {
  it.each(cases)('$name', ({ text, line, field, message }) => {
    const error = errorOf(text);
    expect({
      file: error.file,
      line: error.line,
      field: error.field,
      message: error.message,
    }).toEqual({
      file: 'stack.yml',
      line,
      field,
      message,
    });
  });
});
