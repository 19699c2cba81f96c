// Folders that must not outlive the step — the kubeconfig written from the `kubeconfig`
// input — are removed however it ends: when the action returns (the caller's close()), when
// the process exits, and when the runner cancels the job. A cancel sends SIGINT, then
// SIGTERM if the step is still running (GitHub docs, "Canceling a workflow"); Node's default
// for either is to die at once, leaving the file in RUNNER_TEMP for the next job on a
// self-hosted runner. Here the folders are removed and the process exits with the code a
// shell reports for the signal (128 + its number: 130, 143).
import { rmSync } from 'node:fs';
import { constants } from 'node:os';

const folders = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function removeAll(): void {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  folders.clear();
}

function onSignal(signal: (typeof SIGNALS)[number]): void {
  removeAll();
  process.exit(128 + constants.signals[signal]);
}

/** Removes `folder` on SIGINT, SIGTERM or exit; the returned function forgets it (once removed). */
export function removeOnSignal(folder: string): () => void {
  if (folders.size === 0) {
    for (const signal of SIGNALS) process.on(signal, onSignal);
    process.on('exit', removeAll);
  }
  folders.add(folder);
  return () => {
    folders.delete(folder);
    if (folders.size > 0) return;
    for (const signal of SIGNALS) process.off(signal, onSignal);
    process.off('exit', removeAll);
  };
}
