// docker, buildah, faas-cli and git on the PATH that record, for every call, its arguments
// and its whole environment — what a build step, a Dockerfile's RUN or a faas-cli template
// could read. docker and buildah do what the action needs of them (read a login password
// from stdin, write a digest); faas-cli writes the shrinkwrapped build folder; git runs the
// real git.
import { chmod, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAKE_DIGEST } from './fake-tools.ts';

export interface ToolCall {
  tool: string;
  args: string;
  env: Record<string, string>;
}

export interface RecordingTools {
  bin: string;
  calls(): Promise<ToolCall[]>;
}

export async function recordingTools(): Promise<RecordingTools> {
  const bin = await mkdtemp(join(tmpdir(), 'greenlight-recorded-'));
  const log = join(bin, 'calls');
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  // One file per call: its arguments on the first line, then the environment the tool was
  // started with, NUL-separated: /proc/$$/environ, since sh drops names it cannot hold
  // (INPUT_REGISTRY-PASSWORD) from what `env` would print.
  const record = (tool: string) => `#!/bin/sh
mkdir -p "${log}"
f="${log}/$(date +%s%N)-$$"
{ echo "${tool} $*"; cat /proc/$$/environ; } > "$f"
`;
  const digest = `prev=""
for arg in "$@"; do
  if [ "$prev" = "--metadata-file" ]; then echo '{"containerimage.digest":"${FAKE_DIGEST}"}' > "$arg"; fi
  if [ "$prev" = "--digestfile" ]; then echo '${FAKE_DIGEST}' > "$arg"; fi
  prev="$arg"
done
case "$*" in *login*) read -r password || true ;; esac
exit 0
`;
  const tools: Record<string, string> = {
    docker: record('docker') + digest,
    buildah: record('buildah') + digest,
    'faas-cli': `${record('faas-cli')}
stack=""; name=""; prev=""
for arg in "$@"; do
  [ "$prev" = "-f" ] && stack="$arg"
  [ "$prev" = "--filter" ] && name="$arg"
  prev="$arg"
done
[ -n "$name" ] && mkdir -p "$(dirname "$stack")/build/$name" && echo "FROM scratch" > "$(dirname "$stack")/build/$name/Dockerfile"
exit 0
`,
    git: `${record('git')}exec "${realGit}" "$@"\n`,
  };
  for (const [name, script] of Object.entries(tools)) {
    await writeFile(join(bin, name), script);
    await chmod(join(bin, name), 0o755);
  }
  return {
    bin,
    calls: async () => {
      const files = await readdir(log).catch(() => [] as string[]);
      return Promise.all(
        files.sort().map(async (file) => {
          const text = await readFile(join(log, file), 'utf8');
          const newline = text.indexOf('\n');
          const args = text.slice(0, newline);
          const env = Object.fromEntries(
            text
              .slice(newline + 1)
              .split('\0')
              .filter(Boolean)
              .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
          );
          return { tool: args.split(' ')[0] as string, args, env };
        }),
      );
    },
  };
}
