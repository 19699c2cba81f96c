// Single-key commands while the demo runs in a terminal: `a` approves, `r` rolls back,
// Ctrl-C stops. Without a TTY (CI, a pipe) there are none and the printed command is the way.

export interface Keys {
  stop(): void;
}

export function listenForKeys(handlers: Record<string, () => void>): Keys | undefined {
  const stdin = process.stdin;
  if (!stdin.isTTY) return undefined;
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  const onData = (key: string) => {
    // Raw mode swallows Ctrl-C; turn it back into the signal.
    if (key === '\u0003') return void process.kill(process.pid, 'SIGINT');
    handlers[key.toLowerCase()]?.();
  };
  stdin.on('data', onData);
  stdin.resume();
  return {
    stop() {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
    },
  };
}
