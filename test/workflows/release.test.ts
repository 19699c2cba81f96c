import { describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CHARTS, NPM_PACKAGES } from '../../release/packages.ts';
import { actionlint, describeFindings } from './lint.ts';
import { runStep, stepScript } from './run-step.ts';
import { ROOT, WORKFLOWS_DIR, type Workflow } from './workflow-files.ts';

// .github/workflows/release.yml publishes what a version tag names. Its structure is read
// from the file; the shell of its steps is run for real by bash (run-step.ts), with stand-ins
// only for the two publishing clients (npm publish, helm push), which need credentials.

const text = readFileSync(join(ROOT, WORKFLOWS_DIR, 'release.yml'), 'utf8');
const workflow = parse(text) as Workflow;
const runs = (job: string) => (workflow.jobs[job]?.steps ?? []).map((s) => s.run ?? '').join('\n');
const uses = (job: string) => (workflow.jobs[job]?.steps ?? []).map((s) => s.uses ?? '');

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'greenlight-release-'));
}

/** A folder with a stand-in for `name` that records each call's arguments as a JSON line. */
function recorder(name: string, script = ''): { bin: string; calls: () => string[][] } {
  const bin = scratch();
  const log = join(bin, `${name}.calls`);
  writeFileSync(log, '');
  writeFileSync(
    join(bin, name),
    `#!/bin/bash\nnode -e 'console.log(JSON.stringify(process.argv.slice(1)))' -- "$@" >> ${JSON.stringify(log)}\n${script}\n`,
  );
  chmodSync(join(bin, name), 0o755);
  const calls = () =>
    readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as string[]);
  return { bin, calls };
}

const artifact = (kind: string, name: string, version: string, file: string) => ({
  kind,
  name,
  version,
  file: `/home/runner/work/greenlight/greenlight/dist/release/${kind}/${file}`,
  bytes: 1,
});

describe('release.yml', () => {
  test('passes actionlint', async () => {
    expect(describeFindings(await actionlint(text, 'release.yml'))).toEqual([]);
  });

  test('runs only when a version tag is pushed: no branch, pull request or button publishes', () => {
    expect(workflow.on).toEqual({ push: { tags: ['v*.*.*'] } });
  });

  test('grants nothing by default and each job only the scope it publishes with', () => {
    expect(workflow.permissions).toEqual({});
    expect(
      Object.fromEntries(
        Object.entries(workflow.jobs).map(([name, job]) => [name, job.permissions]),
      ),
    ).toEqual({
      build: { contents: 'read' },
      npm: { contents: 'read', 'id-token': 'write' },
      charts: { contents: 'read', packages: 'write' },
      image: { contents: 'read', packages: 'write' },
      'major-tag': { contents: 'write' },
    });
  });

  test('builds and tests the tagged commit, then makes the artifacts with the dry run', () => {
    const script = runs('build');
    const order = ['npm ci', 'npm test', 'npm run build:action', 'npm run release:dry-run'].map(
      (command) => script.indexOf(command),
    );
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const scripts = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(scripts['release:dry-run']).toBeDefined();
    expect(uses('build')).toContain('actions/upload-artifact@v7');
  });

  test('only job build runs the repository’s code; the publishing jobs publish its files', () => {
    for (const job of ['npm', 'charts', 'major-tag']) {
      expect({ job, runs: /\bnpm (ci|test|run|install)\b/.test(runs(job)) }).toEqual({
        job,
        runs: false,
      });
    }
    expect(uses('npm')).toContain('actions/download-artifact@v8');
    expect(uses('charts')).toContain('actions/download-artifact@v8');
  });

  test('reads v1.2.3 as version 1.2.3 of major v1, and v1.3.0-rc.1 as a prerelease', async () => {
    const script = stepScript(workflow, 'build', "the version is the tag's");
    const stable = await runStep(script, scratch(), { TAG: 'v1.2.3' });
    expect(stable.outputs).toEqual({ version: '1.2.3', major: 'v1', prerelease: 'false' });
    const rc = await runStep(script, scratch(), { TAG: 'v1.3.0-rc.1' });
    expect(rc.outputs).toEqual({ version: '1.3.0-rc.1', major: 'v1', prerelease: 'true' });
  });

  describe('the version check', () => {
    const script = stepScript(workflow, 'build', "every artifact carries the tag's version");
    /** A folder like the checkout after the dry run: artifacts.json and the charts' Chart.yaml. */
    function checkout(artifacts: object[]): string {
      const dir = scratch();
      mkdirSync(join(dir, 'dist/release'), { recursive: true });
      writeFileSync(join(dir, 'dist/release/artifacts.json'), JSON.stringify(artifacts));
      for (const chart of CHARTS) {
        mkdirSync(join(dir, chart), { recursive: true });
        copyFileSync(join(ROOT, chart, 'Chart.yaml'), join(dir, chart, 'Chart.yaml'));
      }
      return dir;
    }
    const version = (
      JSON.parse(readFileSync(join(ROOT, 'packages/cli/package.json'), 'utf8')) as {
        version: string;
      }
    ).version;

    test('accepts the repository’s artifacts at its own version', async () => {
      const dir = checkout([
        artifact('npm', '@greenlight/cli', version, `greenlight-cli-${version}.tgz`),
        artifact('chart', 'chatbot', version, `chatbot-${version}.tgz`),
      ]);
      const result = await runStep(script, dir, { VERSION: version });
      expect(result).toMatchObject({ code: 0, stderr: '' });
    });

    test('refuses a tag that is not every artifact’s version, naming each one and the fix', async () => {
      const dir = checkout([
        artifact('npm', '@greenlight/cli', '9.9.9', 'greenlight-cli-9.9.9.tgz'),
        artifact('npm', '@greenlight/core', version, `greenlight-core-${version}.tgz`),
        artifact('chart', 'chatbot', '9.9.8', 'chatbot-9.9.8.tgz'),
      ]);
      const result = await runStep(script, dir, { VERSION: '9.9.9' });
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(
        `the tag is v9.9.9 but: npm @greenlight/core is ${version};chart chatbot is 9.9.8`,
      );
      expect(result.stdout).toContain('Set every package.json and Chart.yaml version');
    });

    test('refuses a chart whose appVersion (the gate image’s default tag) is not the tag', async () => {
      const dir = checkout([]);
      const result = await runStep(script, dir, { VERSION: '9.9.9' });
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(
        /file=charts\/chatbot\/Chart\.yaml,title=appVersion::appVersion is not 9\.9\.9/,
      );
    });
  });

  test('the repository’s packages and charts carry one version, so one tag names them all', () => {
    const versions = [
      ...NPM_PACKAGES.map((p) => {
        const manifest = JSON.parse(readFileSync(join(ROOT, p, 'package.json'), 'utf8')) as {
          version: string;
        };
        return [p, manifest.version];
      }),
      ...CHARTS.flatMap((chart) => {
        const meta = parse(readFileSync(join(ROOT, chart, 'Chart.yaml'), 'utf8')) as {
          version: string;
          appVersion: string;
        };
        return [
          [`${chart} version`, meta.version],
          [`${chart} appVersion`, meta.appVersion],
        ];
      }),
    ];
    const first = versions[0]?.[1];
    expect(versions.filter(([, v]) => v !== first)).toEqual([]);
  });

  describe('npm publish', () => {
    const script = stepScript(
      workflow,
      'npm',
      'npm publish each tarball with provenance, dependencies first',
    );
    function release(): string {
      const dir = scratch();
      mkdirSync(join(dir, 'release'));
      writeFileSync(
        join(dir, 'release/artifacts.json'),
        JSON.stringify([
          artifact('npm', 'flagger-types', '1.2.3', 'flagger-types-1.2.3.tgz'),
          artifact('npm', '@greenlight/core', '1.2.3', 'greenlight-core-1.2.3.tgz'),
          artifact('npm', '@greenlight/cli', '1.2.3', 'greenlight-cli-1.2.3.tgz'),
          artifact('chart', 'chatbot', '1.2.3', 'chatbot-1.2.3.tgz'),
        ]),
      );
      return dir;
    }
    // `npm view` finds flagger-types@1.2.3 (out since an earlier, partly failed run).
    const npm = () =>
      recorder(
        'npm',
        'if [ "$1" = view ]; then [ "$2" = flagger-types@1.2.3 ] && exit 0; exit 1; fi; exit 0',
      );

    test('publishes each tarball with provenance and public access, dependencies first, skipping versions already out', async () => {
      const { bin, calls } = npm();
      const result = await runStep(script, release(), {
        PATH: `${bin}:${process.env.PATH}`,
        PRERELEASE: 'false',
      });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('flagger-types@1.2.3 is already published');
      expect(calls().filter((args) => args[0] === 'publish')).toEqual(
        ['greenlight-core-1.2.3.tgz', 'greenlight-cli-1.2.3.tgz'].map((file) => [
          'publish',
          `release/npm/${file}`,
          '--provenance',
          '--access',
          'public',
          '--tag',
          'latest',
        ]),
      );
    });

    test('a prerelease goes out under the next dist-tag, leaving latest to the stable release', async () => {
      const { bin, calls } = npm();
      await runStep(script, release(), { PATH: `${bin}:${process.env.PATH}`, PRERELEASE: 'true' });
      const tags = calls()
        .filter((args) => args[0] === 'publish')
        .map((args) => args[args.indexOf('--tag') + 1]);
      expect(tags).toEqual(['next', 'next']);
    });

    test('a failed publish fails the job', async () => {
      const { bin } = recorder(
        'npm',
        '[ "$1" = publish ] && exit 1; [ "$1" = view ] && exit 1; exit 0',
      );
      const result = await runStep(script, release(), {
        PATH: `${bin}:${process.env.PATH}`,
        PRERELEASE: 'false',
      });
      expect(result.code).not.toBe(0);
    });
  });

  test('helm pushes both chart packages to ghcr.io/<owner>/charts, the owner lower-cased, the token on stdin', async () => {
    const dir = scratch();
    mkdirSync(join(dir, 'release/charts'), { recursive: true });
    for (const file of ['chatbot-1.2.3.tgz', 'greenlight-gate-1.2.3.tgz'])
      writeFileSync(join(dir, 'release/charts', file), '');
    const { bin, calls } = recorder('helm');
    const result = await runStep(
      stepScript(workflow, 'charts', 'helm push both charts to ghcr.io/<owner>/charts'),
      dir,
      {
        PATH: `${bin}:${process.env.PATH}`,
        ACTOR: 'octocat',
        OWNER: 'Greenlight-Dev',
        TOKEN: 'ghs_secret',
      },
    );
    expect(result.code).toBe(0);
    expect(calls()).toEqual([
      ['registry', 'login', 'ghcr.io', '--username', 'octocat', '--password-stdin'],
      ['push', 'release/charts/chatbot-1.2.3.tgz', 'oci://ghcr.io/greenlight-dev/charts'],
      ['push', 'release/charts/greenlight-gate-1.2.3.tgz', 'oci://ghcr.io/greenlight-dev/charts'],
    ]);
  });

  test('pushes the gate image built from gate/Containerfile to ghcr.io/<owner>/greenlight-gate:<version>, amd64 and arm64', () => {
    const build = workflow.jobs.image?.steps?.find((s) => s.uses === 'docker/build-push-action@v7');
    expect(build?.with).toMatchObject({
      context: '.',
      file: 'gate/Containerfile',
      platforms: 'linux/amd64,linux/arm64',
      push: true,
      tags: '${{ steps.name.outputs.image }}:${{ needs.build.outputs.version }}',
    });
    expect(runs('image')).toContain('image=ghcr.io/${OWNER,,}/greenlight-gate');
    // The chart's default image, which the tag must match.
    const values = parse(
      readFileSync(join(ROOT, 'charts/greenlight-gate/values.yaml'), 'utf8'),
    ) as {
      image: { repository: string };
    };
    expect(values.image.repository).toBe('ghcr.io/greenlight-dev/greenlight-gate');
  });

  describe('the major tag', () => {
    const job = workflow.jobs['major-tag'];
    const script = stepScript(
      workflow,
      'major-tag',
      'move the major tag to this commit, unless a later release of the major holds it',
    );

    test('moves only after the packages, charts and image are out, and never for a prerelease', () => {
      expect(job?.needs).toEqual(['build', 'npm', 'charts', 'image']);
      expect(job?.if).toBe("needs.build.outputs.prerelease == 'false'");
    });

    /** A clone of an origin with releases v1.2.0 and v1.3.0 (v1 at v1.3.0), HEAD at `tag`. */
    function clone(tag: string): { dir: string; origin: string; sha: string } {
      const base = scratch();
      const origin = join(base, 'origin.git');
      const dir = join(base, 'work');
      const git = (cwd: string, ...args: string[]) =>
        execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {
          cwd,
          encoding: 'utf8',
        }).trim();
      execFileSync('git', ['init', '-q', '--bare', origin]);
      mkdirSync(dir);
      git(dir, 'init', '-q');
      for (const release of ['v1.2.0', 'v1.3.0', tag]) {
        git(dir, 'commit', '-q', '--allow-empty', '-m', release);
        git(dir, 'tag', release);
      }
      git(dir, 'tag', 'v1', 'v1.3.0');
      git(dir, 'remote', 'add', 'origin', origin);
      git(dir, 'push', '-q', 'origin', '--tags');
      return { dir, origin, sha: git(dir, 'rev-parse', 'HEAD') };
    }
    const v1In = (origin: string) =>
      execFileSync('git', ['rev-parse', 'v1^{commit}'], { cwd: origin, encoding: 'utf8' }).trim();

    test('a newer release moves v1 to its commit on origin', async () => {
      const { dir, origin, sha } = clone('v1.4.0');
      const result = await runStep(script, dir, { MAJOR: 'v1', TAG: 'v1.4.0', GITHUB_SHA: sha });
      expect(result.code).toBe(0);
      expect(v1In(origin)).toBe(sha);
    });

    test('a patch of an older line (v1.2.1 after v1.3.0) leaves v1 where it is', async () => {
      const { dir, origin, sha } = clone('v1.2.1');
      const before = v1In(origin);
      const result = await runStep(script, dir, { MAJOR: 'v1', TAG: 'v1.2.1', GITHUB_SHA: sha });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('v1.3.0 is newer than v1.2.1: v1 stays where it is');
      expect(v1In(origin)).toBe(before);
    });
  });
});
