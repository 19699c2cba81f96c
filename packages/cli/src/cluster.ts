import type { Command } from 'commander';
import type { KubeConfig } from '@kubernetes/client-node';
import { createKubeClient, loadKubeConfig, type KubeClient } from '@greenlight/core';
import type { Io } from './io.ts';

export interface Cluster {
  kc: KubeConfig;
  kube: KubeClient;
}

export interface ClusterFlags {
  kubeconfig?: string;
  context?: string;
}

/** Adds the flags every cluster command shares. */
export function withClusterFlags(command: Command): Command {
  return command
    .option(
      '--kubeconfig <file>',
      'kubeconfig to use (default: $KUBECONFIG, in-cluster, ~/.kube/config)',
    )
    .option('--context <name>', 'kubeconfig context to use (default: the current one)');
}

/** The cluster of --kubeconfig, else of the environment `io` carries (KUBECONFIG, HOME). */
export function connect(flags: ClusterFlags, io: Io): Cluster {
  const kc = loadKubeConfig({
    kubeconfig: flags.kubeconfig,
    context: flags.context,
    env: io.env,
    homeDir: io.env.HOME,
  });
  return { kc, kube: createKubeClient(kc) };
}
