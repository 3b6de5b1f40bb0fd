// The API under benchmark, in its own process: `node bench/api/server.js <express|fastify>`.
// Reports its port over IPC and answers `stats` with the time spent in EventStore.append and the
// PostgreSQL statements sent. Both are measured from the outside (ADR 0128: no timing hooks in
// production code): the store's `append` is wrapped here, and pg's Client#query is counted.
require('./register-swc');
require('reflect-metadata');
const { Client } = require('pg');
const { loadConfig } = require('../../libs/platform/src');
const { createApi } = require('../../apps/api/src/bootstrap');
const { EVENT_STORE } = require('../../apps/api/src/event-store/event-store.provider');

const appendTimer = {
  count: 0,
  totalNanoseconds: 0n,
  statements: 0,
  cpuSince: process.cpuUsage(),
  reset() {
    this.count = 0;
    this.totalNanoseconds = 0n;
    this.statements = 0;
    this.cpuSince = process.cpuUsage();
  },
};

const query = Client.prototype.query;
Client.prototype.query = function (...args) {
  appendTimer.statements++;
  return query.apply(this, args);
};

/** CPU (user + system) this process used since `since`, in ms: what a request costs, whatever the load. */
function cpuMsSince(since) {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
}

function timeAppends(store) {
  for (const method of ['append', 'appendToStreams']) {
    const original = store[method].bind(store);
    store[method] = async (...args) => {
      const started = process.hrtime.bigint();
      try {
        return await original(...args);
      } finally {
        appendTimer.count++;
        appendTimer.totalNanoseconds += process.hrtime.bigint() - started;
      }
    };
  }
}

async function main() {
  const platform = process.argv[2] === 'fastify' ? 'fastify' : 'express';
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent', NODE_ENV: 'test' });
  const app = await createApi(config, { platform });
  timeAppends(app.get(EVENT_STORE));
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  process.on('message', async (message) => {
    if (message === 'reset') {
      appendTimer.reset();
      process.send({ type: 'reset' });
    } else if (message === 'stats') {
      process.send({
        type: 'stats',
        appends: appendTimer.count,
        appendMs: Number(appendTimer.totalNanoseconds) / 1e6,
        statements: appendTimer.statements,
        cpuMs: cpuMsSince(appendTimer.cpuSince),
      });
    } else if (message === 'stop') {
      await app.close();
      process.exit(0);
    }
  });
  process.send({ type: 'ready', port: address.port });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
