// CPU of one command in the API's own process, without the load tool: the same annotation sent
// `count` times one after another through Fastify's `inject` (after `warm` to warm up), on a
// database `npm run bench:api` left seeded (`<owner database>_bench_api`, or `…_baseline` for
// BENCH_API_BASELINE). Run it for two checkouts in turn to compare them on the same machine:
//
//   node bench/api/command-cpu.js <checkout> <database url> [warm] [count]
//
// Prints the process's CPU (user + system) per command: pg's client, Nest, Fastify and the command
// path, and nothing of the HTTP socket, the load tool or PostgreSQL.
const [checkout, databaseUrl, warm = '300', count = '1500'] = process.argv.slice(2);
require(`${checkout}/bench/api/register-swc`);
require('reflect-metadata');
const { Client } = require('pg');
const { loadConfig, localSigning, signLocalToken } = require(`${checkout}/libs/platform/src`);
const { createApi } = require(`${checkout}/apps/api/src/bootstrap`);

/** The seeded appraisals, by tenant (`appraisal-<tenant>.<id>` streams). */
async function appraisals() {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query(
    "SELECT stream_id FROM streams WHERE stream_id LIKE 'appraisal-bench%' ORDER BY stream_id",
  );
  await client.end();
  const byTenant = new Map();
  for (const { stream_id: stream } of rows) {
    const [, tenant, id] = stream.match(/^appraisal-(bench\d+)\.(.*)$/);
    byTenant.set(tenant, [...(byTenant.get(tenant) ?? []), id]);
  }
  return byTenant;
}

async function main() {
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
  });
  const byTenant = await appraisals();
  const tenants = [...byTenant.keys()];
  const tokens = new Map();
  for (const tenant of tenants) {
    // The product's own signing (issuer and audience included, ADR 0175): anything else answers 401.
    const token = await signLocalToken(localSigning(config), {
      tenant,
      role: 'hr',
      subject: `hr-${tenant}`,
      expiresIn: '2h',
    });
    tokens.set(tenant, token);
  }
  const app = await createApi(config, { platform: 'fastify' });
  const fastify = app.getHttpAdapter().getInstance();
  const statuses = {};
  let sent = 0;
  const annotate = async () => {
    const tenant = tenants[sent % tenants.length];
    const ids = byTenant.get(tenant);
    const id = ids[Math.floor(sent / tenants.length) % ids.length];
    sent++;
    const answer = await fastify.inject({
      method: 'POST',
      url: `/appraisals/${id}/annotations`,
      headers: { authorization: `Bearer ${tokens.get(tenant)}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ text: `note ${sent}` }),
    });
    statuses[answer.statusCode] = (statuses[answer.statusCode] ?? 0) + 1;
  };
  for (let n = 0; n < Number(warm); n++) await annotate();
  const since = process.cpuUsage();
  for (let n = 0; n < Number(count); n++) await annotate();
  const { user, system } = process.cpuUsage(since);
  console.log(
    `${checkout}: ${((user + system) / 1000 / Number(count)).toFixed(3)} ms CPU per command ${JSON.stringify(statuses)}`,
  );
  await app.close();
}

main()
  .then(() => process.exit(0))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
