// stack.yml files a user can get wrong. Each is run through `greenlight render --stack` and
// through the action's deploy: both must name the file, line and field, and say what to do.

export interface StackCase {
  name: string;
  /** The file's text; `missing` names a file that does not exist, `folder` a directory. */
  text: string | 'missing' | 'folder';
  /** The field (or file:line) at fault, then the fix. */
  says: [string, string];
}

const HEAD = 'version: 1.0\nprovider:\n  name: openfaas\nfunctions:\n';
const BOT = '  bot:\n    lang: dockerfile\n    handler: ./bot\n';

export const STACK_CASES: StackCase[] = [
  {
    name: 'a stack file that does not exist',
    text: 'missing',
    says: ['stack.yml', 'Check the path'],
  },
  { name: 'a folder as stack file', text: 'folder', says: ['stack.yml', 'readable file'] },
  {
    name: 'an empty stack file',
    text: '',
    says: ['stack.yml:1', 'Add "provider: {name: openfaas}"'],
  },
  {
    name: 'a stack file that is not YAML',
    text: 'version: 1.0\nprovider: {name: openfaas\nfunctions: {}\n',
    says: ['stack.yml:3', 'Check the indentation'],
  },
  {
    name: 'a tab used for indentation',
    text: `${HEAD}  bot:\n\tlang: dockerfile\n`,
    says: ['stack.yml:6', 'Indent with spaces'],
  },
  {
    name: 'the same function twice',
    text: `${HEAD}${BOT}    image: x/bot:1\n${BOT}    image: x/bot:2\n`,
    says: ['stack.yml:9', 'merge the two entries or rename one'],
  },
  {
    name: 'a provider other than openfaas',
    text: `version: 1.0\nprovider:\n  name: aws-lambda\nfunctions:\n${BOT}    image: x/bot:1\n`,
    says: ['provider.name', 'write name: openfaas'],
  },
  {
    name: 'a function without image',
    text: `${HEAD}${BOT}`,
    says: ['functions.bot.image', 'Set image:'],
  },
  {
    name: 'a function name Kubernetes refuses',
    text: `${HEAD}  Bot_1:\n    lang: node\n    handler: ./bot\n    image: x/bot:1\n`,
    says: ['functions.Bot_1', 'Use lowercase letters'],
  },
  {
    name: 'a misspelt function key',
    text: `${HEAD}${BOT}    image: x/bot:1\n    imagee: y\n`,
    says: ['functions.bot.imagee', 'Did you mean "image"'],
  },
  {
    name: 'an image written as a URL',
    text: `${HEAD}${BOT}    image: https://ghcr.io/acme/bot\n`,
    says: ['functions.bot.image', 'Drop the scheme'],
  },
  {
    name: 'a number as a label value',
    text: `${HEAD}${BOT}    image: x/bot:1\n    labels:\n      com.openfaas.scale.min: 1\n`,
    says: ['functions.bot.labels["com.openfaas.scale.min"]', 'Quote it'],
  },
  {
    name: 'an unsupported ${VAR} form',
    text: `${HEAD}${BOT}    image: \${REG:?set REG}/bot:1\n`,
    says: ['${REG:?set REG}', 'Use ${VAR}'],
  },
];
