/**
 * The demo tenant: a small company (head office, two branches with a sales department each, 50
 * people), the sales 4232 workflow on a half-year cycle with monthly reviews, and the cycle's
 * history so far — all sent through the HTTP API with tokens signed by JWT_SECRET, so every
 * write passes validation, the domain and the audit trail (docs/adr/0060-demo-tenant.md).
 *
 * The parts: ./seed-demo/data.ts (the company, its calendar, its variety), ./seed-demo/client.ts
 * (the API client, shared with the end-to-end tests), ./seed-demo/steps.ts (the writes).
 *
 * `npm start` runs it once the API answers /health. By hand, against a running API:
 * `npx tsx infra/scripts/seed-demo.ts` (seeds when the tenant has no directory; prints tokens).
 */
import { loadConfigOrExit, localSigning, type Config, type LocalSigning } from '@verity/platform';
import { checkTenantId } from '@verity/event-store';
import type { Role } from './seed-demo/client';
import {
  CAST,
  DEMO_API_KEY_NAME,
  DEMO_TENANT,
  demoCalendar,
  demoPeople,
  recentCycleIds,
} from './seed-demo/data';
import { DemoApi, SEED_USER_AGENT, SeedError } from './seed-demo/demo-api';
import { appraisalOf, seedTenant } from './seed-demo/steps';

export { mintToken } from './seed-demo/client';
export {
  CAST,
  DEMO_API_KEY_NAME,
  DEMO_TENANT,
  DEMO_WORKFLOW_ID,
  actualsOf,
  chance,
  demoCalendar,
  demoPeople,
  type DemoCalendar,
  type Person,
} from './seed-demo/data';
export { SeedError };

// ---------------------------------------------------------------- the seed

export interface SeedOptions {
  baseUrl: string;
  signing: LocalSigning;
  tenant?: string;
  now?: Date;
  /** Appraisals worked on at the same time. */
  concurrency?: number;
  signal?: AbortSignal;
}

export interface SeedResult {
  outcome: 'seeded' | 'resumed' | 'already-seeded';
  tenant: string;
  cycleId: string | null;
  employees: number;
  appraisals: number;
  /** The cycle's months; and, when seeded now, the months reviewed and the one whose review is due. */
  periods: string[];
  reviewed: string[];
  dueNow: string | null;
  requests: number;
  ms: number;
  /** How long the worker took to open the cycle's appraisals, as the seed saw it (null when not seeded now). */
  openingMs: number | null;
  /** The featured appraisal (Chen Jing's) of the tour. */
  featuredAppraisalId: string | null;
  /** Writes an interrupted run had made without its Idempotency-Key record, found done on resuming. */
  refusedAsDone: number;
  /** Shown once, when the seed creates it. */
  apiKey: string | null;
  tokens: { role: Role; employeeId: string | null; name: string | null; token: string }[];
}

/** Seeds the demo tenant when it has no directory yet (or finishes an interrupted seed), then mints tokens. */
export async function seedDemo(options: SeedOptions): Promise<SeedResult> {
  const started = Date.now();
  const tenant = options.tenant ?? DEMO_TENANT;
  checkTenantId(tenant, 'tenant');
  const now = options.now ?? new Date();
  const api = new DemoApi({
    baseUrl: options.baseUrl,
    signing: options.signing,
    tenant,
    signal: options.signal,
    userAgent: SEED_USER_AGENT,
  });
  const people = demoPeople();
  const byId = new Map(people.map((p) => [p.employeeId, p]));
  const managers = new Set(people.flatMap((p) => (p.managerId ? [p.managerId] : [])));
  const hr = await api.token('hr', CAST.hr);
  const admin = await api.token('admin', undefined, `admin-${tenant}`);

  const directory = await api.get('/directory', hr);
  if (directory.status !== 200 && directory.status !== 404)
    throw new SeedError(`GET /directory: ${directory.status} ${JSON.stringify(directory.body)}`);
  let outcome: SeedResult['outcome'] = directory.status === 404 ? 'seeded' : 'resumed';
  let apiKey: string | null = null;
  let cycleId: string | null = null;
  let appraisals = 0;
  let periods: string[] = [];
  let reviewed: string[] = [];
  let dueNow: string | null = null;
  let featuredAppraisalId: string | null = null;
  let openingMs: number | null = null;

  if (outcome === 'resumed') {
    const keys = await api.get('/api-keys', admin);
    if (keys.body?.items?.some((key: { name: string }) => key.name === DEMO_API_KEY_NAME))
      outcome = 'already-seeded';
  }
  if (outcome === 'already-seeded') {
    for (const candidate of recentCycleIds(now)) {
      const cycle = await api.get(`/cycles/${candidate}`, hr);
      if (cycle.status !== 200) continue;
      cycleId = candidate;
      appraisals = cycle.body.opened.appraisals.length;
      periods = cycle.body.opened.periods.map((period: { periodId: string }) => period.periodId);
      featuredAppraisalId = appraisalOf(cycle.body.opened, CAST.employee);
      break;
    }
  } else {
    api.resuming = outcome === 'resumed';
    const calendar = demoCalendar(now);
    const seeded = await seedTenant(api, {
      people,
      byId,
      managers,
      calendar,
      concurrency: options.concurrency,
    });
    cycleId = calendar.cycleId;
    ({ periods, history: reviewed, current: dueNow } = calendar);
    appraisals = seeded.appraisals;
    featuredAppraisalId = seeded.featured;
    openingMs = seeded.openingMs;
    const created = await api.post('/api-keys', admin, { name: DEMO_API_KEY_NAME, scopes: ['events:read'] });
    apiKey = created.body.key;
  }

  const tokenRow = async (role: Role, employeeId: string | null, sub?: string, scope?: string) => ({
    role,
    employeeId,
    name: employeeId ? byId.get(employeeId)!.name : null,
    token: await api.token(role, employeeId ?? undefined, sub, scope, '8h'),
  });
  return {
    outcome,
    tenant,
    cycleId,
    employees: people.length,
    appraisals,
    periods,
    reviewed,
    dueNow,
    requests: api.requests,
    ms: Date.now() - started,
    openingMs,
    featuredAppraisalId,
    refusedAsDone: api.refusedAsDone,
    apiKey,
    tokens: [
      await tokenRow('employee', CAST.employee),
      await tokenRow('manager', CAST.manager),
      await tokenRow('hr', CAST.hr),
      await tokenRow('process-owner', CAST.processOwner),
      await tokenRow('auditor', null, `auditor-${tenant}`),
      await tokenRow('integrator', null, `integrator-${tenant}`, 'events:read'),
      await tokenRow('admin', null, `admin-${tenant}`),
    ],
  };
}

// ---------------------------------------------------------------- what is printed

/** The summary `npm start` prints: tokens per role as shell exports, and requests to try. */
export function formatSummary(result: SeedResult, baseUrl: string): string {
  const url = baseUrl.replace(/\/$/, '');
  const what = {
    seeded: `seeded in ${(result.ms / 1000).toFixed(1)} s (${result.requests} requests through the API)`,
    resumed: `seeded in ${(result.ms / 1000).toFixed(1)} s (an interrupted seed finished; ${result.requests} requests)`,
    'already-seeded': 'already seeded earlier (nothing written now)',
  }[result.outcome];
  const variable: Record<Role, string> = {
    employee: 'EMPLOYEE',
    manager: 'MANAGER',
    hr: 'HR',
    'process-owner': 'OWNER',
    auditor: 'AUDITOR',
    integrator: 'INTEGRATOR',
    admin: 'ADMIN',
  };
  const lines = [
    '',
    `Demo tenant "${result.tenant}" ${what}: ${result.employees} employees, ` +
      `${result.appraisals} appraisals in cycle ${result.cycleId ?? '(none found)'}.`,
    ...(result.periods.length > 0
      ? [
          `Months ${result.periods[0]} … ${result.periods[result.periods.length - 1]}` +
            (result.dueNow
              ? `: ${result.reviewed[0]} … ${result.reviewed[result.reviewed.length - 1]} reviewed and scored, ` +
                `${result.dueNow} due now (partly filed, some late).`
              : '.'),
        ]
      : []),
    ...(result.openingMs !== null
      ? [`The worker opened the cycle's appraisals in ${(result.openingMs / 1000).toFixed(2)} s.`]
      : []),
    '',
    `Open ${url}/ in a browser and pick a person on the sign-in page: Chen Jing (employee, e-1121),`,
    '  her team lead Huang Jun (manager, e-1120), HR, the process owner, the auditor or the integrator.',
    '',
    'For the API, tokens (valid 8 h; `npm run token -- --role <role> --sub <employeeId>` mints more):',
    ...result.tokens.map(
      (row) =>
        `export ${variable[row.role]}=${row.token}  # ${row.role}` +
        (row.employeeId ? ` ${row.employeeId} ${row.name}` : ''),
    ),
    ...(result.featuredAppraisalId
      ? [`export APPRAISAL=${result.featuredAppraisalId}  # Chen Jing's appraisal (e-1121)`]
      : []),
    ...(result.cycleId
      ? [`export CYCLE=${result.cycleId}  # the demo cycle (its target tree: GET /cycles/$CYCLE/target-tree)`]
      : []),
    ...(result.apiKey
      ? [`export API_KEY=${result.apiKey}  # integrator API key (events:read), shown only now`]
      : []),
    '',
    'Try the API:',
    `curl -s ${url}/appraisals/$APPRAISAL -H "Authorization: Bearer $EMPLOYEE"`,
    `curl -s ${url}/scores/appraisals/$APPRAISAL -H "Authorization: Bearer $MANAGER"`,
    `curl -s ${url}/inbox -H "Authorization: Bearer $MANAGER"`,
    `curl -s ${url}/appraisals/$APPRAISAL/history -H "Authorization: Bearer $AUDITOR"`,
    `curl -s ${url}/audit/verify -H "Authorization: Bearer $AUDITOR"`,
    `curl -s "${url}/events?limit=3" -H "Authorization: Bearer $INTEGRATOR"`,
    `open ${url}/docs  # the API's reference`,
    '',
  ];
  return lines.join('\n');
}

/** The API's address for a client on this machine. */
export function apiBaseUrl(config: Pick<Config, 'HOST' | 'PORT'>): string {
  const host = ['0.0.0.0', '::', '[::]'].includes(config.HOST) ? '127.0.0.1' : config.HOST;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.PORT}`;
}

/** Whether this configuration may seed: never in production, and only with locally signed tokens. */
export function seedRefusal(config: Pick<Config, 'NODE_ENV' | 'JWKS_URL'>): string | null {
  if (config.NODE_ENV === 'production') return 'NODE_ENV=production: no demo tenant, no tokens';
  if (config.JWKS_URL) return 'JWKS_URL is set: locally signed demo tokens would not verify';
  return null;
}

/**
 * The demo tenant seeded through this configuration's API (its address), with tokens signed as it
 * verifies them: what `npm start` runs, and this file run on its own (start.js is plain JavaScript,
 * so it passes only the configuration and everything typed happens here).
 */
export function seedConfiguredDemo(
  config: Pick<Config, 'HOST' | 'PORT' | 'JWT_SECRET' | 'JWT_ISSUER' | 'JWT_AUDIENCE'>,
  signal?: AbortSignal,
): Promise<SeedResult> {
  return seedDemo({ baseUrl: apiBaseUrl(config), signing: localSigning(config), signal });
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const refusal = seedRefusal(config);
  if (refusal) {
    process.stderr.write(`seed-demo: ${refusal}\n`);
    process.exit(1);
  }
  const result = await seedConfiguredDemo(config);
  process.stdout.write(`${formatSummary(result, apiBaseUrl(config))}\n`);
}

if (require.main === module) {
  main().catch((error: Error) => {
    process.stderr.write(`seed-demo: ${error.message}\n`);
    process.exit(1);
  });
}
