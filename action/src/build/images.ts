// Which image references a function is pushed and deployed as.
import type { StackFunction } from '@greenlight/core';

/** `ghcr.io/acme/bot:latest` → `ghcr.io/acme/bot`; with a registry, its last part under it. */
export function repositoryOf(fn: StackFunction, registry?: string): string {
  const withoutDigest = fn.image.split('@')[0] as string;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const repository = colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
  if (!registry) return repository;
  return `${registry}/${repository.slice(repository.lastIndexOf('/') + 1)}`;
}

/** The revision first (the tag that is deployed when no digest is known), then extra tags. */
export function tagsOf(repository: string, revision: string, extra: readonly string[]): string[] {
  return [...new Set([revision, ...extra])].map((tag) => `${repository}:${tag}`);
}
