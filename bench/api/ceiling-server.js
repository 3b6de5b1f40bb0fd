// The ceiling under benchmark, in its own process: `node bench/api/ceiling-server.js <express|fastify>`
// (bench/api/ceiling-app.ts). Reports its port over IPC, as server.js does.
require('./register-swc');
require('reflect-metadata');
const { createCeilingApp } = require('./ceiling-app');

async function main() {
  const platform = process.argv[2] === 'fastify' ? 'fastify' : 'express';
  const { app, pool } = await createCeilingApp(
    process.env.DATABASE_URL,
    Number(process.env.DATABASE_POOL_SIZE ?? 32),
    platform,
  );
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  let cpuSince = process.cpuUsage();
  process.on('message', async (message) => {
    if (message === 'reset') {
      cpuSince = process.cpuUsage();
      process.send({ type: 'reset' });
    } else if (message === 'stats') {
      const { user, system } = process.cpuUsage(cpuSince);
      process.send({ type: 'stats', cpuMs: (user + system) / 1000 });
    } else if (message === 'stop') {
      await app.close();
      await pool.end();
      process.exit(0);
    }
  });
  process.send({ type: 'ready', port: address.port });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
