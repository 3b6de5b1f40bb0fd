/**
 * `npm run weekly-steps:catch-up [-- --after <position>]` (docs/adr/0153): opens the weekly-plan
 * steps of the weeks still to come on every running appraisal approved before weekly plans were
 * steps (ADR 0145), or migrated since to a workflow version that times them. Safe to run again: a
 * second run records nothing. A stopped run resumes from the start, or from the position it printed.
 */
import { eventStoreOf } from '@verity/event-store';
import { createPool, loadConfigOrExit, type Config } from '@verity/platform';
import {
  catchUpWeeklyPlanSteps,
  systemClock,
  type Clock,
  type WeeklyStepsCatchUpReport,
} from '../../apps/worker/src';

export async function runWeeklyStepsCatchUp(
  config: Pick<
    Config,
    'DATABASE_URL' | 'EVENT_STORE' | 'KURRENTDB_URL' | 'PII_MASTER_KEY' | 'PII_RETIRED_MASTER_KEYS'
  >,
  options: { after?: string; clock?: Clock; onBatch?: (report: WeeklyStepsCatchUpReport) => void } = {},
): Promise<WeeklyStepsCatchUpReport> {
  const pool = createPool(config.DATABASE_URL, 2, 'verity-weekly-steps-catch-up');
  const store = eventStoreOf(config, pool);
  try {
    const { clock = systemClock, ...rest } = options;
    return await catchUpWeeklyPlanSteps(store, clock, rest);
  } finally {
    await store.close();
    await pool.end();
  }
}

if (require.main === module) {
  const config = loadConfigOrExit();
  const at = process.argv.indexOf('--after');
  runWeeklyStepsCatchUp(config, {
    after: at >= 0 ? process.argv[at + 1] : undefined,
    onBatch: (report) => console.error(`weekly-steps:catch-up: read up to position ${report.position}`),
  })
    .then((report) => {
      const refused = Object.entries(report.refused).map(([code, count]) => `${code} ${count}`);
      console.log(
        `weekly-steps:catch-up: ${report.appraisalEvents} approvals and migrations, ` +
          `${report.recorded} appraisals given ${report.stepsOpened} weekly-plan steps, ` +
          `${report.alreadySent} done by an earlier run, ${report.nothingToDo} with nothing to open` +
          (refused.length ? `, refused: ${refused.join(', ')}` : ''),
      );
    })
    .catch((error: unknown) => {
      console.error(`weekly-steps:catch-up: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
}
