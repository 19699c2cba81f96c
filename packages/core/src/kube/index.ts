export type * from './types.ts';
export { loadKubeConfig } from './config.ts';
export type { LoadKubeConfigOptions } from './config.ts';
export { createKubeClient, FIELD_MANAGER } from './client.ts';
export { KubeApiError } from './errors.ts';
export { retriable, retrying, withRetries } from './retries.ts';
export { buildEvent } from './event.ts';
export { DEFAULT_SILENCE_TIMEOUT_MS, watchObjects } from './list-watch.ts';
export { createObjectReader } from './reader.ts';
export type { ObjectReader } from './reader.ts';
export type {
  WatchEventType,
  WatchHandle,
  WatchHandlers,
  WatchOptions,
  WatchedType,
} from './list-watch.ts';
export { ObjectCache } from './cache.ts';
export type { CacheChange, CacheListener, ObjectCacheOptions } from './cache.ts';
