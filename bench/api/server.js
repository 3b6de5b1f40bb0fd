// The API under benchmark, in its own process: `node bench/api/server.js <express|fastify>`.
// Reports its port over IPC and answers `stats` with the time spent in EventStore.append.
require('./register-swc');
require('reflect-metadata');
const { loadConfig } = require('../../libs/platform/src');
const { createApi } = require('../../apps/api/src/bootstrap');
const { appendTimer } = require('../../apps/api/src/commands/append-timer');

async function main() {
  const platform = process.argv[2] === 'fastify' ? 'fastify' : 'express';
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent', NODE_ENV: 'test' });
  const app = await createApi(config, { platform });
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
