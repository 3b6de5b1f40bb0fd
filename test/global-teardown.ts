import { dropRunDatabases } from './global-setup';

/** Drops this run's test databases (a crashed run's are dropped by the next run's set-up). */
export default async function globalTeardown(): Promise<void> {
  if (process.env.VERITY_TEST_DATABASES_DROPPED) return;
  process.env.VERITY_TEST_DATABASES_DROPPED = '1';
  await dropRunDatabases();
}
