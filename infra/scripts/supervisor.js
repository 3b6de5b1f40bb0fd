// Keeps child processes running for `npm start`: a child that exits while nobody asked it to stop
// is logged and started again after a back-off (1 s doubling to 30 s, back to 1 s once it has run
// for a minute), instead of stopping everything. Plain JavaScript, like start.js.
const { setTimeout: sleep } = require('node:timers/promises');

const DEFAULTS = { firstDelayMs: 1_000, maxDelayMs: 30_000, healthyAfterMs: 60_000 };
/** Exit codes that restarting cannot mend: 78 is an invalid configuration (libs/platform/src/config.ts). */
const FATAL_EXIT_CODES = [78];

/**
 * @param {object} options
 * @param {(name: string) => import('node:child_process').ChildProcess} options.spawn starts one child
 * @param {(line: string) => void} [options.log] where restarts are reported
 * @param {{ firstDelayMs?: number, maxDelayMs?: number, healthyAfterMs?: number }} [options.backoff]
 * @param {(name: string, code: number) => void} [options.onFatal] a child exited with a code restarting cannot mend
 * @param {() => number} [options.now]
 */
function createSupervisor({
  spawn,
  log = (line) => console.error(line),
  backoff = {},
  onFatal = () => undefined,
  now = Date.now,
}) {
  const { firstDelayMs, maxDelayMs, healthyAfterMs } = { ...DEFAULTS, ...backoff };
  /** @type {Map<string, { child: import('node:child_process').ChildProcess | undefined, delayMs: number, restarts: number }>} */
  const supervised = new Map();
  const aborted = new AbortController();
  let stopping = false;
  let exitCode = 0;
  let allStopped;
  const stopped = new Promise((resolve) => (allStopped = resolve));

  function running() {
    return [...supervised.values()].filter((entry) => entry.child).length;
  }

  function start(name) {
    const entry = supervised.get(name) ?? { child: undefined, delayMs: firstDelayMs, restarts: 0 };
    supervised.set(name, entry);
    const startedAt = now();
    const child = spawn(name);
    entry.child = child;
    child.on('exit', (code, signal) => {
      entry.child = undefined;
      if (entry.retired) {
        supervised.delete(name);
        if (stopping && running() === 0) allStopped(exitCode);
        return;
      }
      if (stopping) {
        if (code !== 0 && code !== null) exitCode = code;
        if (running() === 0) allStopped(exitCode);
        return;
      }
      if (FATAL_EXIT_CODES.includes(code)) {
        log(`verity: ${name} stopped (exit ${code}); not restarted, stopping the rest`);
        exitCode = code;
        onFatal(name, code);
        return;
      }
      // A child that ran for a while was healthy: its next failure starts the back-off again.
      if (now() - startedAt >= healthyAfterMs) entry.delayMs = firstDelayMs;
      const delayMs = entry.delayMs;
      entry.delayMs = Math.min(maxDelayMs, entry.delayMs * 2);
      entry.restarts += 1;
      log(
        `verity: ${name} stopped unexpectedly (${signal ?? `exit ${code}`}); ` +
          `restarting in ${delayMs} ms (restart ${entry.restarts})`,
      );
      sleep(delayMs, undefined, { signal: aborted.signal }).then(
        () => {
          if (!stopping) start(name);
        },
        () => undefined,
      );
    });
    return child;
  }

  // A terminal's Ctrl-C already sent SIGINT to every child; a second SIGINT would kill them
  // mid-shutdown, while SIGTERM is a second, harmless request to close.
  function stop() {
    if (!stopping) {
      stopping = true;
      aborted.abort();
    }
    for (const entry of supervised.values()) entry.child?.kill('SIGTERM');
    if (running() === 0) allStopped(exitCode);
    return stopped;
  }

  /** Stops one child on purpose, for good (no restart); resolves once it has exited. */
  async function retire(name) {
    const entry = supervised.get(name);
    const child = entry?.child;
    if (!entry || !child) return;
    entry.retired = true;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  return {
    start,
    stop,
    retire,
    /** Resolves with the exit code to use once every child has stopped after `stop()`. */
    stopped,
    get stopping() {
      return stopping;
    },
    restarts: (name) => supervised.get(name)?.restarts ?? 0,
    child: (name) => supervised.get(name)?.child,
  };
}

module.exports = { createSupervisor };
