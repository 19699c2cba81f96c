import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { loadStack, parseStack, selectFunctions, UserError } from '../src/index.ts';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`./fixtures/stack/${name}`, import.meta.url));
const exampleStack = fileURLToPath(new URL('../../../examples/chatbot/stack.yml', import.meta.url));

describe('loadStack', () => {
  it('reads the example chatbot with its defaults when no variables are set', async () => {
    const stack = await loadStack(exampleStack, {});
    expect(stack).toEqual({
      version: '1.0',
      provider: { name: 'openfaas', gateway: 'http://127.0.0.1:8080' },
      functions: {
        chatbot: {
          name: 'chatbot',
          lang: 'dockerfile',
          handler: './chatbot',
          image: 'localhost:5000/chatbot:latest',
          labels: {
            'com.openfaas.scale.min': '1',
            'com.openfaas.scale.max': '4',
            'app.kubernetes.io/part-of': 'greenlight-example',
          },
          annotations: { 'com.openfaas.health.http.path': '/_/health' },
          secrets: ['slack-signing-secret'],
          environment: { BOT_COLOR: 'green', BOT_REVISION: 'dev' },
          limits: { memory: '128Mi' },
          requests: { memory: '32Mi', cpu: '10m' },
          build_args: { NODE_IMAGE: 'node:24-alpine' },
        },
      },
      file: exampleStack,
    });
  });

  it('points the example at the registry and revision CI gives it', async () => {
    const stack = await loadStack(exampleStack, {
      REGISTRY: 'ghcr.io/acme',
      GITHUB_SHA: 'abc123',
      BOT_COLOR: 'blue',
    });
    expect(stack.functions.chatbot?.image).toBe('ghcr.io/acme/chatbot:latest');
    expect(stack.functions.chatbot?.environment).toEqual({
      BOT_COLOR: 'blue',
      BOT_REVISION: 'abc123',
    });
  });

  it('reads every field of a multi-function stack, in file order', async () => {
    const stack = await loadStack(fixture('multi.yml'), {});
    expect(Object.keys(stack.functions)).toEqual(['slack-bot', 'telegram-bot', 'web-chat']);
    expect(stack.provider).toEqual({ name: 'openfaas', gateway: 'https://gateway.example.com' });
    expect(stack.configuration).toEqual({
      templates: [
        { name: 'golang-middleware', source: 'https://github.com/openfaas/golang-http-template' },
      ],
      copy: ['./common'],
    });
    expect(stack.functions['slack-bot']).toEqual({
      name: 'slack-bot',
      lang: 'node20',
      handler: './slack-bot',
      image: 'ghcr.io/acme/slack-bot:1.2.0',
      namespace: 'bots',
      // faas-cli reads environment values as the text written, whatever YAML type they have.
      environment: { read_timeout: '60s', write_debug: 'true', retries: '3', EMPTY: '' },
      environment_file: ['env.yml'],
      secrets: ['slack-signing-secret'],
      labels: { 'com.openfaas.scale.min': '2' },
      annotations: { 'com.openfaas.health.http.path': '/healthz' },
      limits: { memory: '256Mi', cpu: '500m' },
      requests: { memory: '64Mi', cpu: '0.1' },
      build_args: { GO111MODULE: 'on' },
      build_options: ['ca-certificates'],
      platforms: 'linux/amd64,linux/arm64',
      readonly_root_filesystem: true,
      constraints: ['node.platform.os == linux'],
    });
    expect(stack.functions['telegram-bot']).toMatchObject({ lang: 'dockerfile', skip_build: true });
  });

  it('substitutes ${VAR} and ${VAR:-default} as faas-cli does, leaving $$ and bare $VAR alone', async () => {
    const stack = await loadStack(fixture('env.yml'), {
      TAG: '1.4.0',
      USER_NAME: 'ana',
      HOME: '/root',
    });
    expect(stack.provider.gateway).toBe('http://127.0.0.1:8080');
    expect(stack.functions.bot?.image).toBe('ghcr.io/acme/bot:1.4.0');
    expect(stack.functions.bot?.environment).toEqual({
      PRICE: '$5',
      GREETING: 'hello ana',
      HOME_DIR: '$HOME',
    });
  });

  it('treats an empty variable like an unset one, as faas-cli does', async () => {
    const stack = await loadStack(fixture('env.yml'), {
      REGISTRY: '',
      OPENFAAS_URL: 'https://faas.acme.dev',
      TAG: 'x',
    });
    expect(stack.functions.bot?.image).toBe('ghcr.io/acme/bot:x');
    expect(stack.provider.gateway).toBe('https://faas.acme.dev');
  });

  it('says which file is missing', async () => {
    const missing = fixture('nope.yml');
    await expect(loadStack(missing, {})).rejects.toThrow(
      new UserError('stack file not found', {
        file: missing,
        hint: 'Check the path, or create one with "faas-cli new --lang dockerfile <name>"',
      }),
    );
  });
});

describe('selectFunctions', () => {
  const stack = parseStack(
    `provider: {name: openfaas}
functions:
  slack-bot: {lang: dockerfile, handler: ./slack, image: acme/slack}
  web-chat: {lang: dockerfile, handler: ./web, image: acme/web}
  telegram-bot: {lang: dockerfile, handler: ./tg, image: acme/tg}
`,
    'stack.yml',
    {},
  );
  const names = (patterns: string[]): string[] =>
    selectFunctions(stack, patterns).map((fn) => fn.name);

  it('selects every function when given no patterns', () => {
    expect(names([])).toEqual(['slack-bot', 'web-chat', 'telegram-bot']);
  });

  it('selects by name and by glob, in stack order and without repeats', () => {
    expect(names(['*-bot'])).toEqual(['slack-bot', 'telegram-bot']);
    expect(names(['web-chat', 'slack-*', 'slack-bot'])).toEqual(['slack-bot', 'web-chat']);
  });

  it('refuses a name that is not in the stack and lists the known ones', () => {
    expect(() => names(['slack-bot', 'discord-bot'])).toThrow(
      'stack.yml: no function matches "discord-bot". The stack\'s functions are: slack-bot, web-chat, telegram-bot',
    );
  });

  it('refuses a glob that matches nothing', () => {
    expect(() => names(['*-api', 'x*'])).toThrow('no functions match "*-api", "x*"');
  });
});

describe('parseStack', () => {
  it('merges YAML anchors kept under an x- extension key', () => {
    const stack = parseStack(
      `provider: {name: openfaas}
x-defaults: &defaults
  lang: dockerfile
  labels: {team: bots}
functions:
  slack-bot:
    <<: *defaults
    handler: ./slack-bot
    image: acme/slack-bot
`,
      'stack.yml',
      {},
    );
    expect(stack.functions['slack-bot']).toEqual({
      name: 'slack-bot',
      lang: 'dockerfile',
      labels: { team: 'bots' },
      handler: './slack-bot',
      image: 'acme/slack-bot',
    });
  });

  it('reports the first problem in the file when there are several', () => {
    const text = `provider:
  name: faas
functions:
  Slack_Bot:
    lang: dockerfile
    handler: ./slack-bot
    image: acme/slack-bot
    labels:
      com.openfaas.scale.min: 1
`;
    expect(() => parseStack(text, 'stack.yml', {})).toThrow(
      expect.objectContaining({ line: 2, field: 'provider.name' }),
    );
  });

  it('reads variables from process.env by default', () => {
    process.env.GREENLIGHT_TEST_IMAGE = 'acme/from-env:1';
    try {
      const stack = parseStack(
        'provider: {name: openfaas}\nfunctions:\n  a: {lang: dockerfile, handler: ./a, image: "${GREENLIGHT_TEST_IMAGE}"}\n',
        'stack.yml',
      );
      expect(stack.functions.a?.image).toBe('acme/from-env:1');
    } finally {
      delete process.env.GREENLIGHT_TEST_IMAGE;
    }
  });
});
