// CPU of one command in the API's own process, without the load tool: the same annotation sent
// one after another through Fastify's `inject` (after a warm-up), on a database `npm run bench:api`
// left seeded (`<owner database>_bench_api`, or `…_baseline` for BENCH_API_BASELINE).
//
//   node bench/api/command-cpu.js <checkout> <database url> [warm] [count]
//   node bench/api/command-cpu.js <old checkout> <old database url> <new checkout> <new database url>
//
// Prints the process's CPU (user + system) per command: pg's client, Nest, Fastify and the command
// path, and nothing of the HTTP socket, the load tool or PostgreSQL. Given two checkouts, each runs
// in a process of its own and the two take turns in slices of COMMAND_CPU_SLICE commands
// (COMMAND_CPU_SLICES turns each, after COMMAND_CPU_WARM): on a machine others are using, both then
// meet the same moments of load, which one checkout after the other would not.
const { fork } = require('node:child_process');

const WARM = Number(process.env.COMMAND_CPU_WARM ?? 500);
const SLICE = Number(process.env.COMMAND_CPU_SLICE ?? 250);
const SLICES = Number(process.env.COMMAND_CPU_SLICES ?? 12);

/** The seeded appraisals, by tenant (`appraisal-<tenant>.<id>` streams). */
async function appraisals(databaseUrl) {
  const { Client } = require('pg');
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

/** One checkout's API in this process, and a function sending it `count` annotations. */
async function startApi(checkout, databaseUrl) {
  require(`${checkout}/bench/api/register-swc`);
  require('reflect-metadata');
  const { loadConfig, localSigning, signLocalToken } = require(`${checkout}/libs/platform/src`);
  const { createApi } = require(`${checkout}/apps/api/src/bootstrap`);
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
  });
  const byTenant = await appraisals(databaseUrl);
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
  /** Sends `count` annotations; the CPU they cost, in ms. */
  const run = async (count) => {
    const since = process.cpuUsage();
    for (let n = 0; n < count; n++) await annotate();
    const { user, system } = process.cpuUsage(since);
    return (user + system) / 1000;
  };
  return { app, statuses, run };
}

/** Forked by a comparison: warms up, then runs a slice whenever the parent asks. */
async function serve(checkout, databaseUrl) {
  const api = await startApi(checkout, databaseUrl);
  await api.run(WARM);
  process.on('message', async (message) => {
    if (message === 'stop') {
      await api.app.close();
      process.send({ statuses: api.statuses }, () => process.exit(0));
      return;
    }
    process.send({ cpuMs: await api.run(message) });
  });
  process.send({ ready: true });
}

async function single(checkout, databaseUrl, warm = String(WARM), count = '1500') {
  const api = await startApi(checkout, databaseUrl);
  await api.run(Number(warm));
  const cpuMs = await api.run(Number(count));
  console.log(
    `${checkout}: ${(cpuMs / Number(count)).toFixed(3)} ms CPU per command ${JSON.stringify(api.statuses)}`,
  );
  await api.app.close();
}

async function compare(sides) {
  const workers = sides.map(({ checkout, databaseUrl }) => {
    const child = fork(__filename, ['--serve', checkout, databaseUrl], { stdio: 'inherit' });
    let answer;
    child.on('message', (message) => answer?.(message));
    const ask = (message) =>
      new Promise((resolve) => {
        answer = resolve;
        if (message !== undefined) child.send(message);
      });
    return { checkout, ask, ready: ask(), perCommand: [] };
  });
  for (const worker of workers) await worker.ready;
  for (let turn = 0; turn < SLICES; turn++) {
    // Who goes first alternates, so neither is always the one after a pause.
    const order = turn % 2 === 0 ? workers : [...workers].reverse();
    for (const worker of order) worker.perCommand.push((await worker.ask(SLICE)).cpuMs / SLICE);
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const figures = [];
  for (const worker of workers) {
    const { statuses } = await worker.ask('stop');
    const mean = worker.perCommand.reduce((sum, value) => sum + value, 0) / worker.perCommand.length;
    figures.push(median(worker.perCommand));
    console.log(
      `${worker.checkout}: ${median(worker.perCommand).toFixed(3)} ms CPU per command (median of ${SLICES} slices of ${SLICE}; mean ${mean.toFixed(3)}) ${JSON.stringify(statuses)}`,
    );
  }
  // Each turn's two slices ran next to each other: their ratio is the least disturbed by load that changes.
  const paired = workers[1].perCommand.map((value, turn) => value / workers[0].perCommand[turn] - 1);
  console.log(
    `second vs first: ${((100 * (figures[1] - figures[0])) / figures[0]).toFixed(1)} % CPU per command by the medians, ${(100 * median(paired)).toFixed(1)} % by the median of the turns' ratios`,
  );
}

const args = process.argv.slice(2);
const main =
  args[0] === '--serve'
    ? () => serve(args[1], args[2])
    : args.length === 4 && !/^\d+$/.test(args[2])
      ? () =>
          compare([
            { checkout: args[0], databaseUrl: args[1] },
            { checkout: args[2], databaseUrl: args[3] },
          ])
      : () => single(...args);

main()
  .then(() => {
    if (args[0] !== '--serve') process.exit(0);
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
