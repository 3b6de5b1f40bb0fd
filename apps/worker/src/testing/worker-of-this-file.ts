import { randomUUID } from 'node:crypto';
import type IORedis from 'ioredis';
import { createRedis } from '@verity/platform';
import { workerRedisUrl } from '../../../../test/support/environment';
import { storeOfThisFile, type FileStore } from '../../../../test/support/store-per-file';

/** This test file's pool and store, a Redis connection and a BullMQ queue prefix. */
export interface FileWorker extends FileStore {
  redis: IORedis;
  /** The file's own: a concurrent test run on this machine (same Redis db) never takes its jobs. */
  queuePrefix: string;
}

/**
 * `storeOfThisFile`, and a connection to the jest worker's Redis database opened before the file's
 * tests and closed after them. As with the store, read the answer in tests and hooks only.
 */
export function workerOfThisFile(name: string, connections: number): FileWorker {
  const file = storeOfThisFile(name, connections) as FileWorker;
  file.queuePrefix = `test-${randomUUID().slice(0, 8)}`;
  beforeAll(() => {
    file.redis = createRedis(workerRedisUrl());
  });
  afterAll(() => file.redis?.quit());
  return file;
}
