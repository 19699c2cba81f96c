// A `docker` on the PATH for the action: `login` reads the password from stdin and checks
// it (so a password passed as an argument, visible to `ps`, would fail), `buildx build`
// writes a digest to --metadata-file. Every call's arguments go to calls.log.
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeDocker {
  bin: string;
  /** The arguments of every call, one line each. */
  calls(): Promise<string>;
}

export async function fakeDocker(password: string, options: { refuseLogin?: boolean } = {}) {
  const bin = await mkdtemp(join(tmpdir(), 'greenlight-docker-'));
  const log = join(bin, 'calls.log');
  const expected = join(bin, 'expected');
  await writeFile(expected, password, { mode: 0o600 });
  const refuse = options.refuseLogin ? '1' : '';
  const script = `#!/bin/sh
echo "docker $*" >> "${log}"
if [ "$1" = "login" ]; then
  read -r given
  if [ -n "${refuse}" ] || [ "$given" != "$(cat "${expected}")" ]; then
    echo "Error response from daemon: Get \\"https://ghcr.io/v2/\\": denied: denied" >&2
    exit 1
  fi
  echo "Login Succeeded"
  exit 0
fi
prev=""
for arg in "$@"; do
  if [ "$prev" = "--metadata-file" ]; then echo '{"containerimage.digest":"sha256:${'ab'.repeat(32)}"}' > "$arg"; fi
  prev="$arg"
done
echo "#1 [internal] load build definition from Dockerfile"
echo "#2 DONE 0.1s"
`;
  await writeFile(join(bin, 'docker'), script);
  await chmod(join(bin, 'docker'), 0o755);
  return {
    bin,
    calls: async () => (existsSync(log) ? readFile(log, 'utf8') : ''),
  } satisfies FakeDocker;
}
