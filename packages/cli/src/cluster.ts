import { Command } from 'commander';
import type { KubeConfig } from '@kubernetes/client-node';
import { createKubeClient, loadKubeConfig, type KubeClient } from '@greenlight/core';

export interface Cluster {
  kc: KubeConfig;
  kube: KubeClient;
}

/** Adds the flags every cluster command shares. */
export function withClusterFlags(command: Command): Command {
  return command
    .option('--kubeconfig <file>', 'kubeconfig to use (default: $KUBECONFIG, then in-cluster)')
    .option('--context <name>', 'kubeconfig context to use (default: the current one)');
}

export function connect(flags: { kubeconfig?: string; context?: string }): Cluster {
  const kc = loadKubeConfig({ kubeconfig: flags.kubeconfig, context: flags.context });
  return { kc, kube: createKubeClient(kc) };
}
