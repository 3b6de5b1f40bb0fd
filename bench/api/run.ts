/**
 * `npm run bench:api`: a mixed command load over loopback at 32 connections against the API on
 * Express and on Fastify (same code, same fresh database each), printing throughput, p50/p99
 * latency, the status mix, and the share of request time spent in `EventStore.append` and the PostgreSQL statements sent per request.
 *
 * Beside each platform's figures, its ceiling from the same run: a bare NestJS app on that platform
 * whose one POST does one pg INSERT (bench/api/ceiling-app.ts), under the same load tool, the same
 * connections and the same request shape, with the ratio of the two (targets: ≥ 50 % of the
 * ceiling's requests/s, p99 ≤ 2 × the ceiling's). The two are driven in turns within the run
 * (BENCH_API_ROUNDS, default 3; bench/api/slices.ts), and each prints the CPU a request cost its
 * server process and its PostgreSQL backends.
 *
 * `BENCH_API_MIX=annotations` sends only AddAnnotation. `BENCH_API_PLATFORMS`, `BENCH_API_SECONDS`, `BENCH_POOL` narrow a run.
 * `BENCH_API_BASELINE=<checkout>`: another checkout's API (e.g. the main branch, its node_modules
 * linked) on a database of its own, seeded alike and driven in the same turns: before and after a
 * change measured in one run, on the same machine, printed as a row of its own.
 * Mix: 70 % AddAnnotation on 176 appraisals of 16 tenants, 15 % RenameOrgUnit, 15 % AssignManager
 * (the directory is one stream per tenant, so those two contend and some answer 409 by design).
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { sales4232Workflow } from '../../libs/domain/src';
import { loadConfigOrExit, localSigning, signLocalToken } from '../../libs/platform/src';
import { migrate } from '../../infra/scripts/migrate';
import { reportRow } from '../support/bench-rows';
import { CEILING_APPLICATION } from './ceiling-app';
import { interleave, median, type Target, type Totals } from './slices';

const CONNECTIONS = 32;
const DURATION_S = Number(process.env.BENCH_API_SECONDS ?? 15);
/** Turns in which the API and its ceiling are driven alternately (bench/api/slices.ts). */
const ROUNDS = Number(process.env.BENCH_API_ROUNDS ?? 3);
const TENANTS = 16;
const EMPLOYEES = 10;

const config = loadConfigOrExit();
const benchUrl = (() => {
  const url = new URL(config.DATABASE_OWNER_URL);
  url.pathname = `${url.pathname.replace(/^\//, '')}_bench_api`;
  return url.toString();
})();
const redisUrl = (() => {
  const url = new URL(config.REDIS_URL);
  url.pathname = '/14';
  return url.toString();
})();

const BASELINE_DIR = process.env.BENCH_API_BASELINE && path.resolve(process.env.BENCH_API_BASELINE);
const baselineUrl = `${benchUrl.replace(/\?.*$/, '')}_baseline`;

/** The baseline checkout's own migrations, run by its own script (and its own tsconfig). */
async function migrateBaseline(databaseUrl: string): Promise<void> {
  execFileSync(
    process.execPath,
    [
      require.resolve('tsx/cli'),
      '--tsconfig',
      path.join(BASELINE_DIR!, 'tsconfig.json'),
      'infra/scripts/migrate.ts',
    ],
    { cwd: BASELINE_DIR, env: { ...process.env, DATABASE_OWNER_URL: databaseUrl }, stdio: 'inherit' },
  );
}

async function freshDatabase(
  databaseUrl = benchUrl,
  applyMigrations: (url: string) => Promise<unknown> = migrate,
): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
  await applyMigrations(databaseUrl);
}

function startServer(
  platform: string,
  script = 'server.js',
  { databaseUrl = benchUrl, directory = __dirname } = {},
): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(path.join(directory, script), [platform], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      DATABASE_POOL_SIZE: process.env.BENCH_POOL ?? '32',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // BENCH_PROF=1 profiles the server into /tmp/prof; BENCH_PROF=<directory> into that directory.
    execArgv: process.env.BENCH_PROF
      ? [
          '--cpu-prof',
          `--cpu-prof-dir=${process.env.BENCH_PROF === '1' ? '/tmp/prof' : process.env.BENCH_PROF}`,
        ]
      : [], // not tsx's loader: esbuild drops the decorator metadata Nest needs; server.js registers swc
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    child.on('message', (message: { type: string; port?: number }) => {
      if (message.type === 'ready') resolve({ child, port: message.port! });
    });
  });
}

/** The worker's process managers alone, on the benchmark's database, while the tenants are set up. */
function startProcessManagers(databaseUrl = benchUrl, directory = __dirname): ChildProcess {
  // A baseline checkout's database has that checkout's migrations: its own process managers run on it.
  return fork(path.join(directory, 'process-managers.js'), [], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      WORKER_ONLY: 'process-managers',
      WORKER_METRICS_PORT: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

const token = (tenant: string, role: string, employeeId?: string) =>
  signLocalToken(localSigning(config), {
    tenant,
    role,
    subject: `${role}-${tenant}`,
    employeeId,
    expiresIn: '2h',
  });

interface Tenant {
  id: string;
  hr: string;
  appraisals: string[];
}

async function seed(base: string): Promise<Tenant[]> {
  const send = async (method: string, url: string, auth: string, body: unknown) => {
    const response = await fetch(base + url, {
      method,
      headers: { Authorization: `Bearer ${auth}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const json: any = await response.json();
    if (response.status >= 300)
      throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  return Promise.all(
    Array.from({ length: TENANTS }, async (_, index) => {
      const id = `bench${index}`;
      const [admin, hr, owner] = await Promise.all([
        token(id, 'admin'),
        token(id, 'hr'),
        token(id, 'process-owner'),
      ]);
      await send('POST', '/directory/tenant', admin, { name: `Bench ${index}` });
      const from = '2025-01-01';
      const hire = (employeeId: string, orgUnitId: string, managerId: string | null) => ({
        command: 'HireEmployee',
        employeeId,
        orgUnitId,
        managerId,
        name: employeeId,
        effectiveFrom: from,
      });
      await send('POST', '/directory/import', hr, {
        rows: [
          {
            command: 'CreateOrgUnit',
            orgUnitId: 'hq',
            parentId: null,
            kind: 'hq',
            name: 'HQ',
            effectiveFrom: from,
          },
          {
            command: 'CreateOrgUnit',
            orgUnitId: 'sales',
            parentId: 'hq',
            kind: 'department',
            name: 'Sales',
            effectiveFrom: from,
          },
          hire('e-boss', 'hq', null),
          hire('e-mgr', 'sales', 'e-boss'),
          ...Array.from({ length: EMPLOYEES }, (_, n) => hire(`e-${n}`, 'sales', 'e-mgr')),
        ],
      });
      await send('POST', '/workflows/sales/versions', owner, { definition: sales4232Workflow });
      await send('POST', '/cycles', hr, {
        cycleId: 'c2025',
        name: '2025',
        year: 2025,
        workflowId: 'sales',
        workflowVersion: 1,
        orgUnitIds: ['sales'],
      });
      // The worker's cycle-opening process manager opens the appraisals (see startProcessManagers).
      let cycle = await send('GET', '/cycles/c2025', hr, undefined);
      while (!cycle.opening.done) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        cycle = await send('GET', '/cycles/c2025', hr, undefined);
      }
      const opened = cycle.opened;
      return {
        id,
        hr,
        appraisals: opened.appraisals.map((entry: { appraisalId: string }) => entry.appraisalId),
      };
    }),
  );
}

function mixedRequest(tenants: Tenant[]) {
  let counter = 0;
  return (request: Record<string, unknown>) => {
    counter++;
    const tenant = tenants[Math.floor(Math.random() * tenants.length)];
    const headers = { authorization: `Bearer ${tenant.hr}`, 'content-type': 'application/json' };
    const dice = process.env.BENCH_API_MIX === 'annotations' ? 0 : Math.random();
    if (dice < 0.7) {
      const appraisal = tenant.appraisals[Math.floor(Math.random() * tenant.appraisals.length)];
      return {
        ...request,
        method: 'POST',
        path: `/appraisals/${appraisal}/annotations`,
        headers,
        body: JSON.stringify({ text: `note ${counter}` }),
      };
    }
    if (dice < 0.85) {
      return {
        ...request,
        method: 'POST',
        path: '/directory/org-units/sales/rename',
        headers,
        body: JSON.stringify({ name: `Sales ${counter}`, effectiveFrom: '2025-06-01' }),
      };
    }
    return {
      ...request,
      method: 'POST',
      path: `/directory/employees/e-${counter % EMPLOYEES}/manager`,
      headers,
      body: JSON.stringify({ managerId: counter % 2 ? 'e-mgr' : 'e-boss', effectiveFrom: '2025-06-01' }),
    };
  };
}

/** CPU per request (ms), measured, not timed: what a request costs whatever the machine's load. */
interface CpuPerRequest {
  server: number;
  /** The PostgreSQL backends of the benchmark's database; null where /proc cannot tell. */
  postgres: number | null;
}

interface Ceiling {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  cpu: CpuPerRequest;
}

interface Figures {
  platform: string;
  ceiling?: Ceiling;
  /** The BENCH_API_BASELINE checkout's API, measured in the same turns. */
  baseline?: Figures;
  requestsPerSecond: number;
  okPerSecond: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
  appendShare: number;
  appendMeanMs: number;
  /** PostgreSQL statements the API sent per request (load-independent: counted, not timed). */
  statementsPerRequest: number;
  cpu: CpuPerRequest;
}

/** An API started and seeded: its process and the target that drives it. */
async function seededApi(
  platform: string,
  databaseUrl: string,
  directory?: string,
): Promise<{ child: ChildProcess; target: Target }> {
  const api = await startServer(platform, 'server.js', { databaseUrl, directory });
  const url = `http://127.0.0.1:${api.port}`;
  const managers = startProcessManagers(databaseUrl, directory);
  const tenants = await seed(url).finally(() => managers.kill('SIGTERM'));
  return {
    child: api.child,
    target: {
      child: api.child,
      url,
      setupRequest: mixedRequest(tenants),
      application: 'verity-api',
      databaseUrl,
    },
  };
}

/** The API's figures from what its turns measured. */
function apiFigures(platform: string, product: Totals): Figures {
  const total = product.requests;
  const { appendMs = 0, appends = 0, statements = 0 } = product.server;
  return {
    platform,
    requestsPerSecond: total / product.seconds,
    okPerSecond: product.ok / product.seconds,
    p50: median(product.p50s),
    p99: median(product.p99s),
    statuses: product.statuses,
    // Time inside append over the total time requests spent (client-side latency, loopback included).
    appendShare: appendMs / product.latencyMs,
    appendMeanMs: appends ? appendMs / appends : 0,
    statementsPerRequest: total ? statements / total : 0,
    cpu: cpuPerRequest(product),
  };
}

/**
 * One platform: the API (fresh database, seeded tenants), the baseline checkout's API when
 * BENCH_API_BASELINE is set, and, unless BENCH_API_CEILING=0, the ceiling on the API's database,
 * driven in turns under the same connections and request shape.
 */
async function measure(platform: string): Promise<Figures> {
  await freshDatabase();
  const started: ChildProcess[] = [];
  try {
    const api = await seededApi(platform, benchUrl);
    started.push(api.child);
    const targets: Target[] = [api.target];
    if (BASELINE_DIR) {
      await freshDatabase(baselineUrl, migrateBaseline);
      const baseline = await seededApi(platform, baselineUrl, path.join(BASELINE_DIR, 'bench/api'));
      started.push(baseline.child);
      targets.push(baseline.target);
    }
    const ceiling =
      process.env.BENCH_API_CEILING === '0' ? undefined : await startServer(platform, 'ceiling-server.js');
    if (ceiling) {
      started.push(ceiling.child);
      targets.push({
        child: ceiling.child,
        url: `http://127.0.0.1:${ceiling.port}`,
        setupRequest: ceilingRequest(),
        application: CEILING_APPLICATION,
      });
    }
    const measured = await interleave(targets, {
      rounds: ROUNDS,
      seconds: DURATION_S,
      connections: CONNECTIONS,
      databaseUrl: benchUrl,
    });
    const bare = ceiling ? measured[measured.length - 1] : undefined;
    return {
      ...apiFigures(platform, measured[0]),
      baseline: BASELINE_DIR ? apiFigures(`${platform} (baseline)`, measured[1]) : undefined,
      ceiling: bare && {
        requestsPerSecond: bare.requests / bare.seconds,
        p50: median(bare.p50s),
        p99: median(bare.p99s),
        non2xx: bare.requests - bare.ok,
        cpu: cpuPerRequest(bare),
      },
    };
  } finally {
    for (const child of started) {
      child.send('stop');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
}

/** The ceiling's requests: the shape of the API's busiest command, one row inserted each. */
function ceilingRequest() {
  let counter = 0;
  return (request: Record<string, unknown>) => ({
    ...request,
    method: 'POST',
    path: `/appraisals/a${counter % 176}/annotations`,
    headers: { authorization: 'Bearer x', 'content-type': 'application/json' },
    body: JSON.stringify({ text: `note ${counter++}` }),
  });
}

function cpuPerRequest(totals: Totals): CpuPerRequest {
  const { requests, server, postgresCpuMs } = totals;
  return {
    server: requests ? server.cpuMs / requests : 0,
    postgres: postgresCpuMs === null || !requests ? null : postgresCpuMs / requests,
  };
}

const cpuText = (cpu: CpuPerRequest) =>
  `${cpu.server.toFixed(2)} + ${cpu.postgres === null ? 'n/a' : cpu.postgres.toFixed(2)}`;

async function main(): Promise<void> {
  const platforms = (process.env.BENCH_API_PLATFORMS ?? 'express,fastify').split(',');
  const results: Figures[] = [];
  for (const platform of platforms) results.push(await measure(platform));
  console.log(
    `\nAPI commands over loopback: ${CONNECTIONS} connections, ${DURATION_S} s in ${ROUNDS} turns alternating with the ceiling (p50/p99: median of the turns), mix 70 % AddAnnotation / 15 % RenameOrgUnit / 15 % AssignManager`,
  );
  console.log(
    'platform  commands/s  2xx/s   p50 ms  p99 ms  append share  append mean ms  pg statements/request  CPU ms/request (server + PostgreSQL)  statuses',
  );
  for (const figures of results.flatMap((result) => [
    result,
    ...(result.baseline ? [result.baseline] : []),
  ])) {
    console.log(
      [
        figures.platform.padEnd(8),
        figures.requestsPerSecond.toFixed(0).padStart(10),
        figures.okPerSecond.toFixed(0).padStart(6),
        String(figures.p50).padStart(8),
        String(figures.p99).padStart(7),
        `${(figures.appendShare * 100).toFixed(1)} %`.padStart(13),
        figures.appendMeanMs.toFixed(2).padStart(15),
        figures.statementsPerRequest.toFixed(2).padStart(22),
        cpuText(figures.cpu).padStart(37),
        ' ' + JSON.stringify(figures.statuses),
      ].join(' '),
    );
  }
  console.log(
    '\n| platform | API commands/s | API p99 ms | ceiling (bare NestJS, one pg INSERT) req/s | ceiling p99 ms | ratio | CPU ms/request, API / ceiling (server + PostgreSQL) | target ≥ 50 %, p99 ≤ 2 × ceiling |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |');
  for (const figures of results) {
    const ceiling = figures.ceiling;
    if (!ceiling) continue;
    const ratio = figures.requestsPerSecond / ceiling.requestsPerSecond;
    const met = ratio >= 0.5 && figures.p99 <= 2 * ceiling.p99;
    reportRow({
      row: `API command mix (32 connections), ${figures.platform === 'fastify' ? 'Fastify' : 'Express'}`,
      now: `${figures.requestsPerSecond.toFixed(0)} commands/s, p99 ${figures.p99} ms`,
      baseline: `bare NestJS, POST doing one pg INSERT: ${ceiling.requestsPerSecond.toFixed(0)} req/s, p99 ${ceiling.p99} ms`,
      ratio: 100 * ratio,
      target: '≥ 50 %, p99 ≤ 2 × the baseline’s',
      met,
      note: DURATION_S < 15 ? `${DURATION_S} s per measurement` : undefined,
    });
    for (const row of [figures, ...(figures.baseline ? [figures.baseline] : [])]) {
      const rowRatio = row.requestsPerSecond / ceiling.requestsPerSecond;
      const rowMet = rowRatio >= 0.5 && row.p99 <= 2 * ceiling.p99;
      console.log(
        `| ${row.platform} | ${row.requestsPerSecond.toFixed(0)} | ${row.p99} | ${ceiling.requestsPerSecond.toFixed(0)} | ${ceiling.p99} | ${(100 * rowRatio).toFixed(0)} % | ${cpuText(row.cpu)} / ${cpuText(ceiling.cpu)} | ${rowMet ? 'met' : 'NOT met'}${ceiling.non2xx ? ` (ceiling non-2xx: ${ceiling.non2xx})` : ''} |`,
      );
    }
  }
  const target = results.map(
    (figures) =>
      `${figures.platform}: ${figures.p99 < 50 && figures.okPerSecond >= 1000 ? 'meets' : 'misses'} p99 < 50 ms at ≥ 1,000 commands/s`,
  );
  console.log(target.join('; '));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
