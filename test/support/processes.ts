import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

export interface RunningApp {
  name: string;
  process: ChildProcess;
  output: () => string;
  /** Resolves with the exit code once the process ends on its own. */
  exited: Promise<number | null>;
  /** Sends the signal and resolves with the exit code (null when killed by a signal). */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** A free TCP port on loopback, chosen by the kernel. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Starts a compiled app (`dist/apps/<name>/src/main.js`, built by the e2e global setup) as a real process. */
export function startApp(name: 'api' | 'worker', env: Record<string, string>): RunningApp {
  const child = spawn(
    process.execPath,
    [
      '-r',
      path.join(root, 'infra/scripts/register-paths.js'),
      path.join(root, `dist/apps/${name}/src/main.js`),
    ],
    {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'test', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    name,
    process: child,
    output: () => output,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
