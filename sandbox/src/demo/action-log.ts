// The action's log as the demo prints it: each line prefixed `action:`, the workflow
// commands a runner would consume (`::add-mask::`, `::endgroup::`) left out, a group's title
// kept as a heading and annotations named by their level. The one warning every sandbox run
// gets — no github-token, so no GitHub Deployments — is said once, as the expected thing.

const DEPLOYMENTS_SKIPPED = /^GitHub Deployments skipped \(no github-token\)/;

export function actionLog(out: (text: string) => void): (line: string) => void {
  let saidNoToken = false;
  return (line) => {
    const command = /^::([a-z-]+)(?: [^:]*)?::(.*)$/.exec(line);
    if (!command) return out(`  action: ${line}`);
    const [, name, text] = command as unknown as [string, string, string];
    const message = decode(text);
    if (name === 'group') return out(`  action: ── ${message}`);
    if (name === 'warning' && DEPLOYMENTS_SKIPPED.test(message)) {
      if (!saidNoToken) {
        out(
          '  action: GitHub Deployments not recorded (expected: the sandbox passes no github-token)',
        );
      }
      saidNoToken = true;
      return;
    }
    if (name === 'error' || name === 'warning' || name === 'notice') {
      return out(`  action (${name}): ${message}`);
    }
  };
}

function decode(text: string): string {
  return text.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
}
