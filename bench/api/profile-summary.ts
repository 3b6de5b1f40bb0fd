/**
 * Summarises a `.cpuprofile` written by `BENCH_PROF=<dir> npm run bench:api`:
 *
 *   tsx bench/api/profile-summary.ts <file.cpuprofile> [last seconds] [frame pattern …]
 *
 * Self time by function and by package (or source folder), over the profile's last seconds only when
 * given (the measurement, without start-up and seeding); then, for each pattern, the share of samples
 * with a frame matching it anywhere in their stack (e.g. `nestjs-pino`, `@nestjs/throttler`).
 * Samples are wall-clock: under `nice` on a busy machine a process preempted inside a system call
 * (`writev`) is charged there. So each line also gives its share of the busy samples: all but
 * `(idle)`, `(program)` and `writev` (which the load moves most).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, last, ...patterns] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);

// Time per sampled node, within the window.
let clock = 0;
const at = profile.timeDeltas.map((delta) => (clock += delta));
const from = last ? clock - Number(last) * 1e6 : -Infinity;
const selfTime = new Map<number, number>();
let total = 0;
let busy = 0;
const NOT_BUSY = new Set(['(idle)', '(program)', 'writev']);
profile.samples.forEach((id, index) => {
  if (at[index] < from) return;
  const delta = profile.timeDeltas[index] ?? 0;
  selfTime.set(id, (selfTime.get(id) ?? 0) + delta);
  total += delta;
  if (!NOT_BUSY.has(nodes.get(id)!.callFrame.functionName)) busy += delta;
});

const place = (url: string) =>
  url
    .replace(/^file:\/\//, '')
    .replace(/.*node_modules\//, 'npm:')
    .replace(`${process.cwd()}/`, '');
const label = (node: ProfileNode) =>
  `${node.callFrame.functionName || '(anonymous)'} ${place(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
function packageOf(node: ProfileNode): string {
  const where = place(node.callFrame.url);
  if (!where) return node.callFrame.functionName;
  if (where.startsWith('npm:')) {
    const parts = where.slice(4).split('/');
    return parts.slice(0, parts[0].startsWith('@') ? 2 : 1).join('/');
  }
  return where.startsWith('node:') ? where.replace(/:\d+$/, '') : where.split('/').slice(0, 3).join('/');
}

const percent = (time: number, key = '') =>
  `${((100 * time) / total).toFixed(1).padStart(5)} %  ${
    NOT_BUSY.has(key.split(' ')[0])
      ? ' '.repeat(15)
      : `${((100 * time) / busy).toFixed(1).padStart(5)} % of busy`
  }`;
function printTop(title: string, keyOf: (node: ProfileNode) => string): void {
  const sums = new Map<string, number>();
  for (const [id, time] of selfTime) {
    const key = keyOf(nodes.get(id)!);
    sums.set(key, (sums.get(key) ?? 0) + time);
  }
  console.log(`\n${title} (${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy)`);
  for (const [key, time] of [...sums].sort((a, b) => b[1] - a[1]).slice(0, 25))
    console.log(`${percent(time, key)}  ${key}`);
}

printTop('self time by function', label);
printTop('self time by package or folder', packageOf);
if (patterns.length > 0) {
  console.log('\nsamples with a matching frame in their stack');
  const matched = patterns.map(() => 0);
  for (const [id, time] of selfTime) {
    const stack: string[] = [];
    for (let node: number | undefined = id; node !== undefined; node = parents.get(node))
      stack.push(label(nodes.get(node)!));
    const text = stack.join('\n');
    patterns.forEach((pattern, index) => {
      if (new RegExp(pattern).test(text)) matched[index] += time;
    });
  }
  patterns.forEach((pattern, index) => console.log(`${percent(matched[index])}  ${pattern}`));
}
