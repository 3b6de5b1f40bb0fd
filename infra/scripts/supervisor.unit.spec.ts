import { spawn, type ChildProcess } from 'node:child_process';

interface Supervisor {
  start(name: string): ChildProcess;
  stop(): Promise<number>;
  stopped: Promise<number>;
  readonly stopping: boolean;
  restarts(name: string): number;
  child(name: string): ChildProcess | undefined;
  retire(name: string): Promise<void>;
}
// start.js and supervisor.js are plain JavaScript so that `npm start` needs no compiler.
const { createSupervisor } = require('./supervisor') as {
  createSupervisor(options: {
    spawn: (name: string) => ChildProcess;
    log?: (line: string) => void;
    backoff?: { firstDelayMs?: number; maxDelayMs?: number; healthyAfterMs?: number };
    onFatal?: (name: string, code: number) => void;
  }): Supervisor;
};

/** A real child process running `script`. */
const node = (script: string) => spawn(process.execPath, ['-e', script], { stdio: 'ignore' });

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} not reached`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the npm start supervisor', () => {
  it('retires a child on purpose: it is stopped, not restarted, and the others run on', async () => {
    const log: string[] = [];
    let starts = 0;
    const supervisor = createSupervisor({
      spawn: () => {
        starts += 1;
        return node('setInterval(() => {}, 1000)');
      },
      log: (line) => log.push(line),
      backoff: { firstDelayMs: 5 },
    });
    supervisor.start('process-managers');
    const api = supervisor.start('api');
    await supervisor.retire('process-managers');
    expect(supervisor.child('process-managers')).toBeUndefined();
    // Given time to restart it, the supervisor does not.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(starts).toBe(2);
    expect(log).toEqual([]);
    expect(api.exitCode).toBeNull();
    expect(await supervisor.stop()).toBe(0);
  });

  it('restarts a child that exits unexpectedly, with a doubling back-off, and logs each restart', async () => {
    const log: string[] = [];
    let starts = 0;
    const supervisor = createSupervisor({
      // The worker "crashes" three times, then stays up.
      spawn: () => node(++starts <= 3 ? 'process.exit(1)' : 'setInterval(() => {}, 1000)'),
      log: (line) => log.push(line),
      backoff: { firstDelayMs: 5, maxDelayMs: 20 },
    });
    supervisor.start('worker');
    await until(() => starts === 4, 'the fourth start');
    expect(supervisor.restarts('worker')).toBe(3);
    expect(log).toEqual([
      'verity: worker stopped unexpectedly (exit 1); restarting in 5 ms (restart 1)',
      'verity: worker stopped unexpectedly (exit 1); restarting in 10 ms (restart 2)',
      'verity: worker stopped unexpectedly (exit 1); restarting in 20 ms (restart 3)',
    ]);
    expect(await supervisor.stop()).toBe(0);
    expect(starts).toBe(4);
  });

  it('a child killed with SIGKILL is restarted; the other child runs on untouched', async () => {
    const log: string[] = [];
    const supervisor = createSupervisor({
      spawn: () => node('setInterval(() => {}, 1000)'),
      log: (line) => log.push(line),
      backoff: { firstDelayMs: 5 },
    });
    const api = supervisor.start('api');
    const worker = supervisor.start('worker');
    worker.kill('SIGKILL');
    await until(
      () => supervisor.child('worker') !== undefined && supervisor.child('worker') !== worker,
      'restart',
    );
    expect(log).toEqual(['verity: worker stopped unexpectedly (SIGKILL); restarting in 5 ms (restart 1)']);
    expect(supervisor.child('api')).toBe(api);
    expect(api.exitCode).toBeNull();
    expect(await supervisor.stop()).toBe(0);
  });

  it('stop() ends every child and restarts nothing', async () => {
    const log: string[] = [];
    let starts = 0;
    const supervisor = createSupervisor({
      spawn: () => (starts++, node('setInterval(() => {}, 1000)')),
      log: (line) => log.push(line),
      backoff: { firstDelayMs: 5 },
    });
    supervisor.start('api');
    supervisor.start('worker');
    expect(await supervisor.stop()).toBe(0);
    expect(supervisor.child('api')).toBeUndefined();
    expect(supervisor.child('worker')).toBeUndefined();
    expect(starts).toBe(2);
    expect(log).toEqual([]);
  });

  it('an invalid configuration (exit 78) is not restarted: the supervisor is told to stop', async () => {
    const fatal: [string, number][] = [];
    let starts = 0;
    const supervisor = createSupervisor({
      spawn: () => (starts++, node('process.exit(78)')),
      log: () => undefined,
      backoff: { firstDelayMs: 5 },
      onFatal: (name, code) => fatal.push([name, code]),
    });
    supervisor.start('api');
    await until(() => fatal.length === 1, 'the fatal exit');
    expect(fatal).toEqual([['api', 78]]);
    expect(await supervisor.stop()).toBe(78);
    expect(starts).toBe(1);
  });
});
