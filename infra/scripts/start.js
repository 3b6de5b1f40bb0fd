#!/usr/bin/env node
// Runs the built API and worker side by side; Ctrl-C (SIGINT) or SIGTERM stops both cleanly.
// Plain JavaScript so it starts without a compiler; `npm start` builds first.
const { spawn } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
// Compiled code keeps the `@verity/*` imports; tsconfig-paths resolves them under dist/.
const env = {
  ...process.env,
  TS_NODE_BASE_URL: path.join(root, 'dist'),
  TS_NODE_PROJECT: path.join(root, 'tsconfig.json'),
};
const apps = ['api', 'worker'];
const children = new Map();
let stopping = false;
let exitCode = 0;

for (const name of apps) {
  const child = spawn(
    process.execPath,
    ['-r', path.join(__dirname, 'register-paths.js'), path.join(root, `dist/apps/${name}/src/main.js`)],
    {
      env,
      stdio: 'inherit',
      cwd: root,
    },
  );
  children.set(name, child);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (code !== 0) exitCode = code ?? 1;
    if (!stopping) {
      console.error(`verity: ${name} stopped (${signal ?? `exit ${code}`}); stopping the rest`);
      stop('SIGTERM');
    }
    if (children.size === 0) process.exit(exitCode);
  });
}

function stop(signal) {
  stopping = true;
  for (const child of children.values()) child.kill(signal);
}

process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
