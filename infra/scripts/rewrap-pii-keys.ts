/**
 * `npm run pii:rewrap-keys`: the second step of a master-key rotation (docs/adr/0100).
 *
 * 1. Deploy with the new key as `PII_MASTER_KEY` and the old one in `PII_RETIRED_MASTER_KEYS`: new
 *    data keys are wrapped with the new key, stored ones still open with the old.
 * 2. Run this with the same configuration: it wraps every stored data key under the new master key
 *    (the events are not touched) and says how many it rewrapped. Run again after a stop: it resumes.
 * 3. When it reports nothing left under a retired key, remove the old key from the configuration.
 *
 * Exits 1 when some data key opens under none of the keys given (named by tenant and key id).
 */
import { rewrapPiiKeys, type PiiRewrapReport } from '@verity/event-store';
import { createPool, loadConfigOrExit, type Config } from '@verity/platform';

export async function rewrapAllPiiKeys(
  config: Pick<Config, 'DATABASE_URL' | 'PII_MASTER_KEY' | 'PII_RETIRED_MASTER_KEYS'>,
  onBatch?: (report: PiiRewrapReport) => void,
): Promise<PiiRewrapReport> {
  const pool = createPool(config.DATABASE_URL, 1, 'verity-pii-rewrap');
  try {
    return await rewrapPiiKeys(
      pool,
      { current: config.PII_MASTER_KEY, retired: config.PII_RETIRED_MASTER_KEYS },
      { onBatch },
    );
  } finally {
    await pool.end();
  }
}

if (require.main === module) {
  const config = loadConfigOrExit();
  rewrapAllPiiKeys(config, (report) =>
    console.error(`pii:rewrap-keys: ${report.scanned} keys looked at, ${report.rewrapped} rewrapped`),
  )
    .then((report) => {
      console.log(
        `pii:rewrap-keys: ${report.rewrapped} rewrapped under the current master key, ` +
          `${report.alreadyCurrent} already under it, ${report.unreadable.length} unreadable`,
      );
      for (const key of report.unreadable)
        console.error(`pii:rewrap-keys: key ${key.keyId} of tenant ${key.tenantId} opens under no key given`);
      process.exit(report.unreadable.length ? 1 : 0);
    })
    .catch((error: unknown) => {
      console.error(`pii:rewrap-keys: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
}
