/**
 * `npm run bench`: every benchmark, one after another, each in its own process with its own
 * database, each printing its figures next to a baseline measured in that same run. A bench that
 * fails is reported and the others still run; the exit code says whether all of them finished.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

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
  'bench:webhooks',
  'bench:audit-verifier',
  'bench:scale',
];
const benches = order.filter((name) => scripts.includes(name));
const only = process.argv.slice(2);

const outcomes: { name: string; status: number | null; seconds: number }[] = [];
for (const name of benches.filter((bench) => only.length === 0 || only.includes(bench))) {
  console.log(`\n=== ${name} ===`);
  const began = Date.now();
  const run = spawnSync('npm', ['run', '--silent', name], { cwd: root, stdio: 'inherit' });
  outcomes.push({ name, status: run.status, seconds: (Date.now() - began) / 1000 });
}
console.log('\n=== summary ===');
for (const outcome of outcomes)
  console.log(
    `${outcome.name.padEnd(18)} ${outcome.status === 0 ? 'done' : `FAILED (exit ${outcome.status})`} in ${outcome.seconds.toFixed(0)} s`,
  );
process.exit(outcomes.every((outcome) => outcome.status === 0) ? 0 : 1);
