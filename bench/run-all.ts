/**
 * `npm run bench`: every benchmark, one after another, each in its own process with its own
 * database, each printing its figures next to a baseline measured in that same run. A bench that
 * fails is reported and the others still run; the exit code says whether all of them finished.
 * At the end, the performance table of issue 21, every row with its baseline and ratio from this
 * run (bench/support/bench-rows.ts); a row whose bench failed is named as missing.
 *
 * Short by default (about 10 minutes on a loaded 2-core machine): the sizes below, each bench's own
 * default when BENCH_FULL=1 (the 1,000,000-event logs, 15 s API runs, 100,000 timers over 60 s:
 * most of an hour). Any BENCH_* variable set by the caller wins over both.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readRows, tableOf } from './support/bench-rows';

const SHORT: Record<string, string> = {
  // bench:store: 4 s per write phase, the read over 200,000 events.
  BENCH_SECONDS: '4',
  BENCH_READ_EVENTS: '200000',
  // bench:api: 5 s per platform and per ceiling.
  BENCH_API_SECONDS: '5',
  // bench:projections: a 200,000-event log, 5 s of lag under load.
  BENCH_EVENTS: '200000',
  BENCH_DISTINCT_HISTORIES: '500',
  BENCH_LOAD_SECONDS: '5',
  // bench:timers: the table's rate (1,667 due/s) over 20 s instead of 60.
  BENCH_TIMERS: '33340',
  BENCH_TIMERS_WINDOW_S: '20',
  BENCH_TIMERS_LEAD_S: '90',
  // bench:scale: two small sizes (the skeleton's curve; BENCH_FULL=1 for 100,000 and 1,000,000).
  BENCH_SCALE_SIZES: '20000,100000',
};

const root = path.resolve(__dirname, '..');
const scripts = Object.keys(
  JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts as object,
);
const order = [
  'bench:store',
  'bench:pickup',
  'bench:api',
  'bench:projections',
  'bench:timers',
  'bench:timers:busy',
  'bench:webhooks',
  'bench:audit-verifier',
  'bench:scale',
];
const benches = order.filter((name) => scripts.includes(name));
const only = process.argv.slice(2);

const rowsFile = path.join(mkdtempSync(path.join(tmpdir(), 'verity-bench-')), 'rows.jsonl');
const env: NodeJS.ProcessEnv = {
  ...(process.env.BENCH_FULL === '1' ? {} : SHORT),
  ...process.env,
  BENCH_ROWS_FILE: rowsFile,
};

const outcomes: { name: string; status: number | null; seconds: number }[] = [];
for (const name of benches.filter((bench) => only.length === 0 || only.includes(bench))) {
  console.log(`\n=== ${name} ===`);
  const began = Date.now();
  const run = spawnSync('npm', ['run', '--silent', name], { cwd: root, stdio: 'inherit', env });
  outcomes.push({ name, status: run.status, seconds: (Date.now() - began) / 1000 });
}
console.log('\n=== summary ===');
for (const outcome of outcomes)
  console.log(
    `${outcome.name.padEnd(18)} ${outcome.status === 0 ? 'done' : `FAILED (exit ${outcome.status})`} in ${outcome.seconds.toFixed(0)} s`,
  );
console.log(
  `\n=== the performance table (issue 21), one run${process.env.BENCH_FULL === '1' ? '' : ', short sizes (BENCH_FULL=1 for the full ones)'} ===`,
);
console.log(tableOf(readRows(rowsFile)));
process.exit(outcomes.every((outcome) => outcome.status === 0) ? 0 : 1);
