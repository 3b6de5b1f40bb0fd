#!/usr/bin/env node
// Runs the built API, seeds the demo tenant once the API answers /health (with the worker's process
// managers running alone meanwhile), then runs the worker; either is restarted with a back-off if it stops unexpectedly (supervisor.js). Ctrl-C (SIGINT) or
// SIGTERM stops everything cleanly.
// Plain JavaScript so it starts without a compiler; `npm start` builds first.
const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');
const { setTimeout: sleep } = require('node:timers/promises');
const { createSupervisor } = require('./supervisor');

const root = path.resolve(__dirname, '../..');
// Compiled code keeps the `@verity/*` imports; tsconfig-paths resolves them under dist/.
const env = {
  ...process.env,
  TS_NODE_BASE_URL: path.join(root, 'dist'),
  TS_NODE_PROJECT: path.join(root, 'tsconfig.json'),
};
/** The seed's and this script's own requests: not logged one by one. */
const QUIET_USER_AGENT = 'verity-demo-seed';
const aborted = new AbortController();

/**
 * Node's own flags per app. The worker reads the log in pages of 1,000–5,000 events that live across
 * the awaits of a projection's write, longer than V8's default 16 MB young generation lasts, so each
 * page was copied into the old generation: a 64 MB one cut a rebuild's CPU per event by a third
 * (docs/adr/0183). bench:projections runs with the same flag.
 */
const NODE_FLAGS = { api: [], worker: ['--max-semi-space-size=64'] };

/** What each supervised name runs: the app, and its own settings. */
const apps = {
  api: { app: 'api', env: {} },
  worker: { app: 'worker', env: {} },
  // Only the process managers, while the seed runs (see main()).
  'process-managers': { app: 'worker', env: { WORKER_ONLY: 'process-managers', WORKER_METRICS_PORT: '0' } },
};

function spawnApp(name) {
  const { app, env: own } = apps[name];
  const child = spawn(
    process.execPath,
    [
      ...NODE_FLAGS[app],
      '-r',
      path.join(__dirname, 'register-paths.js'),
      path.join(root, `dist/apps/${app}/src/main.js`),
    ],
    { env: { ...env, ...own }, stdio: ['inherit', app === 'api' ? 'pipe' : 'inherit', 'inherit'], cwd: root },
  );
  if (child.stdout) {
    // The seed's ~1,600 request log lines would bury what it prints; its writes are in the audit trail.
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.includes(`"user-agent":"${QUIET_USER_AGENT}"`)) process.stdout.write(`${line}\n`);
    });
  }
  return child;
}

const supervisor = createSupervisor({ spawn: spawnApp, onFatal: (name, code) => stop(code) });
const run = (name) => supervisor.start(name);

/** Stops the children, then exits with `failed`'s code or the children's. */
function stop(failed) {
  aborted.abort();
  supervisor.stop().then((code) => process.exit(failed ?? code));
}

/** Polls the API's /health until `ready(body)` holds; false when stopped or out of time. */
async function waitForHealth(baseUrl, ready, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!supervisor.stopping && Date.now() < deadline) {
    try {
      const response = await fetch(`${baseUrl}/health`, {
        signal: aborted.signal,
        headers: { 'user-agent': QUIET_USER_AGENT },
      });
      const body = await response.json();
      if (response.status === 200 && ready(body)) return true;
    } catch {
      // not listening yet
    }
    await sleep(250, undefined, { signal: aborted.signal }).catch(() => undefined);
  }
  return false;
}

const caughtUp = (body) => {
  const consumers = Object.values(body.info?.projections?.consumers ?? {});
  return consumers.length > 0 && consumers.every((lag) => lag.events === 0);
};

async function main() {
  // The seed is TypeScript like the rest of infra/scripts; tsx compiles it on the fly.
  require('tsx/cjs/api').register();
  const { loadConfigOrExit } = require('../../libs/platform/src');
  const seed = require('./seed-demo.ts');
  const config = loadConfigOrExit();
  const baseUrl = seed.apiBaseUrl(config);
  run('api');
  const healthy = await waitForHealth(baseUrl, () => true, 120_000);
  let summary = null;
  const refusal = seed.seedRefusal(config);
  if (supervisor.stopping) return;
  if (!healthy) console.error(`verity: the API did not answer ${baseUrl}/health; the demo was not seeded`);
  else if (refusal) console.log(`verity: demo tenant not seeded (${refusal})`);
  else {
    // The seed waits on the process managers (a cycle's appraisals, a month's score); the timers
    // start after it, so that they see its history in one pass and fire only what is still open.
    run('process-managers');
    try {
      const result = await seed.seedConfiguredDemo(config, aborted.signal);
      summary = seed.formatSummary(result, baseUrl);
    } catch (error) {
      if (supervisor.stopping) console.log('verity: demo seed interrupted; the next start finishes it');
      else console.error(`verity: demo seed failed, the API and worker run on: ${error.message}`);
    }
    await supervisor.retire('process-managers');
  }
  if (supervisor.stopping) return;
  // Started after the seed so the timers see its history in one pass and fire only what is still open.
  run('worker');
  if (summary) {
    const ready = await waitForHealth(baseUrl, caughtUp, 60_000);
    if (supervisor.stopping) return;
    console.log(ready ? summary : `${summary}\n(the read models are still catching up)`);
  }
}

process.on('SIGINT', () => stop());
process.on('SIGTERM', () => stop());
main().catch((error) => {
  console.error(`verity: ${error.stack ?? error}`);
  stop(1);
});
