/**
 * The demo tenant: a small company (head office, two branches with a sales department each, 50
 * people), the sales 4232 workflow on a half-year cycle with monthly reviews, and the cycle's
 * history so far — all sent through the HTTP API with tokens signed by JWT_SECRET, so every
 * write passes validation, the domain and the audit trail (docs/adr/0060-demo-tenant.md).
 *
 * `npm start` runs it once the API answers /health. By hand, against a running API:
 * `npx tsx infra/scripts/seed-demo.ts` (seeds when the tenant has no directory; prints tokens).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { cycleCalendar, sales4232Workflow } from '@verity/domain';
import { loadConfigOrExit, type Config, jose } from '@verity/platform';
import { checkTenantId } from '@verity/event-store';

export const DEMO_TENANT = 'demo';
export const DEMO_WORKFLOW_ID = 'sales-4232';
/** The seed's last write; its presence says an earlier seed ran to the end. */
export const DEMO_API_KEY_NAME = 'demo integrator';
const SEED_USER_AGENT = 'verity-demo-seed';
/** Longer than the API's 30 s before it hands over an abandoned Idempotency-Key claim. */
const TAKEOVER_WAIT_MS = 45_000;
/** How long the seed waits for the worker's process managers (opening the cycle, scoring a month). */
const PROCESS_MANAGER_WAIT_MS = 30_000;
const FROM = '2018-01-01';

type Role = 'employee' | 'manager' | 'hr' | 'process-owner' | 'auditor' | 'integrator' | 'admin';

// ---------------------------------------------------------------- the company

interface OrgUnit {
  orgUnitId: string;
  parentId: string | null;
  kind: 'hq' | 'branch' | 'department' | 'team';
  name: string;
}

export interface Person {
  employeeId: string;
  name: string;
  email: string;
  orgUnitId: string;
  managerId: string | null;
  position: string;
  hiredFrom: string;
}

const UNITS: OrgUnit[] = [
  { orgUnitId: 'hq', parentId: null, kind: 'hq', name: 'Head office' },
  { orgUnitId: 'hq-hr', parentId: 'hq', kind: 'department', name: 'Human resources' },
  ...(['east', 'west'] as const).flatMap((side): OrgUnit[] => {
    const Side = side === 'east' ? 'East' : 'West';
    return [
      { orgUnitId: `branch-${side}`, parentId: 'hq', kind: 'branch', name: `${Side} branch` },
      { orgUnitId: `sales-${side}`, parentId: `branch-${side}`, kind: 'department', name: `Sales, ${Side}` },
      { orgUnitId: `sales-${side}-a`, parentId: `sales-${side}`, kind: 'team', name: `${Side} team A` },
      { orgUnitId: `sales-${side}-b`, parentId: `sales-${side}`, kind: 'team', name: `${Side} team B` },
    ];
  }),
];

const SURNAMES = ['Chen', 'Huang', 'Lin', 'Zhang', 'Wu', 'Xu', 'Guo', 'He', 'Gao', 'Luo', 'Zheng'];
const GIVEN = ['Jing', 'Wei', 'Fang', 'Tao', 'Yan', 'Bo', 'Hong', 'Jun', 'Lan', 'Qiang', 'Rui', 'Xin'];
const person = (
  employeeId: string,
  name: string,
  orgUnitId: string,
  managerId: string | null,
  position: string,
  hiredFrom = FROM,
): Person => ({
  employeeId,
  name,
  email: `${name.toLowerCase().replace(/\s+/g, '.')}@demo.example`,
  orgUnitId,
  managerId,
  position,
  hiredFrom,
});

/** 50 people: 6 in the head office, 22 per branch (head, sales manager, two teams of a lead and 9). */
export function demoPeople(): Person[] {
  const people: Person[] = [
    person('e-1000', 'Zhou Ming', 'hq', null, 'Chief executive'),
    person('e-1001', 'Li Na', 'hq-hr', 'e-1000', 'HR director'),
    person('e-1002', 'Wang Lei', 'hq-hr', 'e-1001', 'HR officer, performance office'),
    person('e-1003', 'Zhao Min', 'hq-hr', 'e-1001', 'Process owner, sales performance'),
    person('e-1004', 'Sun Hui', 'hq', 'e-1000', 'Finance controller'),
    person('e-1005', 'Qian Yu', 'hq', 'e-1000', 'Data and IT manager'),
  ];
  // Surname × given name walked with coprime steps: 44 distinct names, none taken twice.
  const taken = new Set([
    ...people.map((p) => p.name),
    'Chen Jing',
    'Liu Yang',
    'Ma Jun',
    'Tang Li',
    'Feng Rui',
  ]);
  let n = 0;
  const nextName = () => {
    for (; ; n++) {
      const name = `${SURNAMES[n % SURNAMES.length]} ${GIVEN[(n * 7) % GIVEN.length]}`;
      if (!taken.has(name)) {
        taken.add(name);
        return name;
      }
    }
  };
  for (const [side, base, head, manager] of [
    ['east', 1100, 'Liu Yang', 'Ma Jun'],
    ['west', 1200, 'Tang Li', 'Feng Rui'],
  ] as const) {
    const Side = side === 'east' ? 'East' : 'West';
    people.push(person(`e-${base}`, head, `branch-${side}`, 'e-1000', `Head of the ${Side} branch`));
    people.push(person(`e-${base + 10}`, manager, `sales-${side}`, `e-${base}`, 'Sales department manager'));
    for (const [team, lead] of [
      ['a', base + 20],
      ['b', base + 30],
    ] as const) {
      const unit = `sales-${side}-${team}`;
      people.push(person(`e-${lead}`, nextName(), unit, `e-${base + 10}`, 'Sales team lead', '2018-06-01'));
      for (let i = 1; i <= 9; i++) {
        const hired = `${2019 + ((lead + i) % 7)}-${String(1 + ((lead * i) % 12)).padStart(2, '0')}-01`;
        const name = lead + i === 1121 ? 'Chen Jing' : nextName(); // the README tour's sales representative
        people.push(person(`e-${lead + i}`, name, unit, `e-${lead}`, 'Sales representative', hired));
      }
    }
  }
  return people;
}

/** Who the printed tokens act as, and the people the seed gives a particular story. */
export const CAST = {
  employee: 'e-1121', // the worked example of DOMAIN.md in the last month of history
  manager: 'e-1120', // Chen Jing's team lead
  hr: 'e-1002',
  processOwner: 'e-1003',
  planAwaitingApproval: 'e-1139',
  planReturned: 'e-1239',
  late: ['e-1120', 'e-1237'], // last month and the current review not filed: overdue
  redLine: 'e-1226',
  vetoWaived: 'e-1233',
  planChange: 'e-1224',
  returnedInHistory: 'e-1222',
  returnedNow: 'e-1134',
} as const;

// ---------------------------------------------------------------- the calendar

/** The half-year the demo runs in, from the real clock: its history so far and the review now due. */
export function demoCalendar(now: Date) {
  const month = now.getUTCMonth();
  let year = now.getUTCFullYear();
  let half: 1 | 2 = month < 6 ? 1 : 2;
  const cadence = { cycle: 'half-year', period: 'month' } as const;
  let periods = cycleCalendar(cadence, year, half).periods;
  let ended = periods.filter((period) => Date.parse(period.endsAt) <= now.getTime());
  // Early in a half there is too little history to show: take the previous half, all of it past.
  if (ended.length < 2) {
    if (half === 1) [year, half] = [year - 1, 2];
    else half = 1;
    periods = cycleCalendar(cadence, year, half).periods;
    ended = periods;
  }
  const ids = ended.map((period) => period.periodId);
  return {
    cycleId: `demo-${year}-h${half}`,
    name: `Sales ${year} H${half}`,
    year,
    half,
    periods: periods.map((period) => period.periodId),
    /** Reviewed, assessed and scored (with exceptions per person). */
    history: ids.slice(0, -1),
    /** The last month that ended: its review is due now and partly filed. */
    current: ids[ids.length - 1],
  };
}
export type DemoCalendar = ReturnType<typeof demoCalendar>;

/** The cycle ids an earlier seed may have used (this half and the ones before). */
function recentCycleIds(now: Date): string[] {
  const ids: string[] = [];
  let year = now.getUTCFullYear();
  let half = now.getUTCMonth() < 6 ? 1 : 2;
  for (let i = 0; i < 4; i++) {
    ids.push(`demo-${year}-h${half}`);
    if (half === 1) [year, half] = [year - 1, 2];
    else half = 1;
  }
  return ids;
}

// ---------------------------------------------------------------- deterministic variety

/** A number in [0, 1) fixed by the label: the same demo on every machine, no Math.random. */
export function chance(label: string): number {
  let hash = 2166136261;
  for (let i = 0; i < label.length; i++) hash = Math.imul(hash ^ label.charCodeAt(i), 16777619);
  hash = Math.imul(hash ^ (hash >>> 15), 2246822507);
  hash = Math.imul(hash ^ (hash >>> 13), 3266489909);
  return ((hash ^ (hash >>> 16)) >>> 0) / 4294967296;
}

const round = (value: number, step: number) => Math.round(value / step) * step;

type Actuals = { sales_volume: number; receivables: string; inventory: number; product_mix: number };

/** DOMAIN.md's worked example: 87.30, grade B, product mix at 82.5 % of target vetoes the bonus. */
const WORKED_EXAMPLE: Actuals = { sales_volume: 950, receivables: '2.2', inventory: 450, product_mix: 330 };
const FEATURED_MONTHS: Actuals[] = [
  { sales_volume: 1010, receivables: '2.1', inventory: 520, product_mix: 360 },
  { sales_volume: 940, receivables: '2.4', inventory: 560, product_mix: 350 },
  { sales_volume: 1060, receivables: '1.9', inventory: 480, product_mix: 410 },
  { sales_volume: 990, receivables: '2.3', inventory: 470, product_mix: 380 },
];

/** A month's actuals around the template's levels, by the person's form and the month's luck. */
export function actualsOf(employeeId: string, periodId: string, calendar: DemoCalendar): Actuals {
  if (employeeId === CAST.employee) {
    if (periodId === calendar.history[calendar.history.length - 1]) return WORKED_EXAMPLE;
    if (periodId === calendar.current)
      return { sales_volume: 1040, receivables: '1.9', inventory: 460, product_mix: 390 };
    return FEATURED_MONTHS[calendar.history.indexOf(periodId) % FEATURED_MONTHS.length];
  }
  const form = chance(employeeId);
  const luck = (what: string) => chance(`${employeeId}/${periodId}/${what}`) - 0.5;
  const actuals: Actuals = {
    sales_volume: round(820 + 330 * form + 180 * luck('volume'), 5),
    receivables: (Math.round((2.55 - 0.9 * form + 0.5 * luck('receivables')) * 10) / 10).toFixed(1),
    inventory: round(610 - 190 * form + 90 * luck('inventory'), 5),
    product_mix: round(310 + 170 * form + 100 * luck('mix'), 5),
  };
  // The waiver's story needs a breached veto in the first month.
  if (employeeId === CAST.vetoWaived && periodId === calendar.history[0]) actuals.product_mix = 320;
  return actuals;
}

// ---------------------------------------------------------------- HTTP

export class SeedError extends Error {}

interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON as the API sent it
}

/** A small client: bearer tokens by person, an Idempotency-Key per write, a retry on a lost race. */
class DemoApi {
  requests = 0;
  /** Finishing an interrupted seed: a write the domain refuses was already made. */
  resuming = false;
  refusedAsDone = 0;
  private readonly tokens = new Map<string, Promise<string>>();

  constructor(
    readonly baseUrl: string,
    private readonly secret: string,
    readonly tenant: string,
    readonly signal?: AbortSignal,
  ) {}

  token(role: Role, employeeId?: string, sub?: string, scope?: string, ttl = '1h'): Promise<string> {
    const key = `${role}/${employeeId ?? ''}/${sub ?? ''}/${scope ?? ''}/${ttl}`;
    if (!this.tokens.has(key))
      this.tokens.set(
        key,
        mintToken(this.secret, { tenant: this.tenant, role, employeeId, sub, scope, ttl }),
      );
    return this.tokens.get(key)!;
  }

  /** The token of a person of the directory acting as themselves. */
  as(employeeId: string, people: Map<string, Person>, managers: Set<string>): Promise<string> {
    if (employeeId === CAST.hr) return this.token('hr', employeeId);
    if (employeeId === CAST.processOwner) return this.token('process-owner', employeeId);
    if (!people.has(employeeId)) throw new SeedError(`no demo person ${employeeId}`);
    return this.token(managers.has(employeeId) ? 'manager' : 'employee', employeeId);
  }

  async get(path: string, token: string): Promise<Reply> {
    return this.send('GET', path, token);
  }

  async post(path: string, token: string, body: unknown, idempotencyKey?: string): Promise<Reply> {
    let takenOver = false;
    const deadline = Date.now() + TAKEOVER_WAIT_MS;
    for (let attempt = 1; ; attempt++) {
      const reply = await this.send('POST', path, token, body, idempotencyKey);
      const code = reply.body?.code;
      // Another writer (the worker's timers) appended to the stream first: decide again on the new state.
      if (reply.status === 409 && code === 'wrong-expected-revision' && attempt < 5) continue;
      // An interrupted seed left this key claimed by a request the API dropped while stopping; the
      // API hands the claim over after 30 s.
      if (reply.status === 409 && code === 'idempotency-in-progress' && Date.now() < deadline) {
        takenOver = true;
        await sleep(2_000, undefined, { signal: this.signal });
        continue;
      }
      // Finishing an interrupted seed, a refusal means the interrupted run had applied this write but
      // its Idempotency-Key record was lost (the API stopped between the two): it is done.
      if ((takenOver || this.resuming) && (reply.status === 409 || reply.status === 422)) {
        this.refusedAsDone++;
        return reply;
      }
      if (reply.status >= 300)
        throw new SeedError(`POST ${path}: ${reply.status} ${JSON.stringify(reply.body).slice(0, 600)}`);
      return reply;
    }
  }

  private async send(
    method: string,
    path: string,
    token: string,
    body?: unknown,
    idempotencyKey?: string,
  ): Promise<Reply> {
    this.requests++;
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      signal: this.signal,
      headers: {
        authorization: `Bearer ${token}`,
        'user-agent': SEED_USER_AGENT,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(idempotencyKey
          ? {
              'idempotency-key': `demo-seed/${idempotencyKey}`,
              // The trail shows which writes the demo seed made, grouped per appraisal.
              'x-correlation-id': `demo-seed.${idempotencyKey.includes('/') ? idempotencyKey.split('/')[0] : 'setup'}`,
            }
          : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    // Over the API's rate limit for one credential: wait for the next second and send it again.
    if (response.status === 429) {
      await sleep(1_000, undefined, { signal: this.signal });
      return this.send(method, path, token, body, idempotencyKey);
    }
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (e.g. an HTML error page): keep the text for the message
    }
    return { status: response.status, body: parsed };
  }
}

/** A bearer token as `npm run token` mints it (HS256 with JWT_SECRET). */
export async function mintToken(
  secret: string,
  claims: { tenant: string; role: Role; employeeId?: string; sub?: string; scope?: string; ttl?: string },
): Promise<string> {
  const employeeId = claims.employeeId;
  return new jose.SignJWT({
    tenant: claims.tenant,
    role: claims.role,
    ...(employeeId ? { employee_id: employeeId } : {}),
    ...(claims.scope ? { scope: claims.scope } : {}),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub ?? employeeId ?? `${claims.role}-${claims.tenant}`)
    .setIssuedAt()
    .setIssuer('verity-local')
    .setExpirationTime(claims.ttl ?? '8h')
    .sign(new TextEncoder().encode(secret));
}

/** Runs `work` over `items` with at most `limit` at a time; the first failure stops the rest. */
async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown = null;
  const lane = async () => {
    while (failed === null && next < items.length) {
      const item = items[next++];
      try {
        await work(item);
      } catch (error) {
        failed ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failed !== null) throw failed;
}

// ---------------------------------------------------------------- the seed

export interface SeedOptions {
  baseUrl: string;
  jwtSecret: string;
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
  const api = new DemoApi(options.baseUrl.replace(/\/$/, ''), options.jwtSecret, tenant, options.signal);
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

function appraisalOf(
  opened: { appraisals: { appraisalId: string; subject: { employeeId?: string } }[] },
  employeeId: string,
): string | null {
  return opened.appraisals.find((a) => a.subject.employeeId === employeeId)?.appraisalId ?? null;
}

interface Company {
  people: Person[];
  byId: Map<string, Person>;
  managers: Set<string>;
  calendar: DemoCalendar;
  concurrency?: number;
}

async function seedTenant(api: DemoApi, company: Company): Promise<{ appraisals: number; featured: string }> {
  const { people, calendar } = company;
  const admin = await api.token('admin', undefined, `admin-${api.tenant}`);
  const hr = await api.token('hr', CAST.hr);
  const owner = await api.token('process-owner', CAST.processOwner);

  await api.post('/directory/tenant', admin, { name: 'Demo Manufacturing Co.' }, 'tenant');
  const rows = [
    ...UNITS.map((unit) => ({ command: 'CreateOrgUnit', ...unit, effectiveFrom: FROM })),
    ...people.map((p) => ({
      command: 'HireEmployee',
      employeeId: p.employeeId,
      orgUnitId: p.orgUnitId,
      managerId: p.managerId,
      position: p.position,
      name: p.name,
      email: p.email,
      effectiveFrom: p.hiredFrom,
    })),
    {
      command: 'AssignProcessOwner',
      employeeId: CAST.processOwner,
      process: DEMO_WORKFLOW_ID,
      orgUnitId: null,
      effectiveFrom: FROM,
    },
    // The performance office looks after every unit: escalations to HR reach it by name.
    { command: 'AssignHrPartner', employeeId: CAST.hr, orgUnitId: null, effectiveFrom: FROM },
  ];
  await api.post('/directory/import', hr, { rows }, 'directory');
  // The sales workflow of DOMAIN.md on a half-year cycle, so a few months of history fit one cycle.
  await api.post(
    `/workflows/${DEMO_WORKFLOW_ID}/versions`,
    owner,
    {
      definition: {
        ...sales4232Workflow,
        name: 'Sales, 4232 model (half-year cycle, monthly reviews)',
        cadence: { cycle: 'half-year', period: 'month' },
      },
    },
    'workflow',
  );
  await api.post(
    '/cycles',
    hr,
    {
      cycleId: calendar.cycleId,
      name: calendar.name,
      year: calendar.year,
      half: calendar.half,
      workflowId: DEMO_WORKFLOW_ID,
      workflowVersion: 1,
      orgUnitIds: ['sales-east', 'sales-west'],
    },
    'cycle',
  );
  // The worker's cycle-opening process manager opens one appraisal per person in scope.
  const opened = await cycleOpened(api, hr, calendar.cycleId);
  const entries: { appraisalId: string; subject: { employeeId: string } }[] = opened.appraisals;
  await inParallel(entries, company.concurrency ?? 6, async (entry) => {
    await new AppraisalStory(api, company, entry.appraisalId, entry.subject.employeeId).tell();
  });
  return { appraisals: entries.length, featured: appraisalOf(opened, CAST.employee)! };
}

/** Waits until the process manager has opened every appraisal of the cycle; the cycle as opened. */
async function cycleOpened(api: DemoApi, token: string, cycleId: string) {
  const deadline = Date.now() + PROCESS_MANAGER_WAIT_MS;
  for (;;) {
    const cycle = await api.get(`/cycles/${cycleId}`, token);
    if (cycle.status !== 200) throw new SeedError(`GET /cycles/${cycleId}: ${cycle.status}`);
    if (cycle.body.opening.done) return cycle.body.opened;
    if (Date.now() > deadline)
      throw new SeedError(
        `cycle ${cycleId}: ${cycle.body.opening.progress} after ${PROCESS_MANAGER_WAIT_MS} ms (is the worker running?)`,
      );
    await sleep(25, undefined, { signal: api.signal });
  }
}

const GAP_REASONS = [
  'Two distributor orders slipped into the next month',
  'A key customer postponed its spring order',
  'Price competition in the northern districts',
  'Shipping delays at the regional warehouse',
];
const IMPROVEMENT_ACTIONS: Record<string, string[]> = {
  sales_volume: ['Weekly pipeline review with the two largest distributors', 'Visit ten new retailers'],
  receivables: ['Call every invoice over 30 days each Monday', 'Agree payment plans with three customers'],
  inventory: ['Return slow-moving stock to the central warehouse', 'Order weekly instead of monthly'],
  product_mix: ['Bundle the new product line with the best sellers', 'Train the team on the new line'],
};
const ANNOTATIONS = [
  'Discussed in the monthly meeting',
  'Good recovery in the second half of the month',
  'Please bring the distributor forecast to the next review',
];

/** The parts of GET /appraisals/:id's state the seed reads. */
interface AppraisalState {
  periods: Record<string, { status: string }>;
  improvements: Record<string, { periodId: string; indicatorId: string; status: string }>;
  plan: {
    pendingChange: { changeId: string } | null;
    targets: { periodId?: string }[];
    actions: {
      actionId: string;
      indicatorId: KeyActionIndicator;
      ownerEmployeeId: string;
      dueDate: string;
    }[];
  };
  redLines: Record<string, unknown>;
}

/** The goal and measures of the demo's key actions, by indicator (a plan change lists them again). */
const KEY_ACTION_TEXTS = {
  product_mix: {
    goal: 'Grow product-mix sales to the target of 400 units a month',
    measures: 'Present the new product line to every key account; monthly mix review',
  },
  receivables: {
    goal: 'Keep receivables under 2.0 M',
    measures: 'Weekly call list of invoices over 30 days',
  },
} as const;
type KeyActionIndicator = keyof typeof KEY_ACTION_TEXTS;

/** One appraisal's plan and months, as its people would have done them. */
class AppraisalStory {
  private readonly person: Person;
  private readonly path: string;

  constructor(
    private readonly api: DemoApi,
    private readonly company: Company,
    private readonly appraisalId: string,
    private readonly employeeId: string,
  ) {
    this.person = company.byId.get(employeeId)!;
    this.path = `/appraisals/${appraisalId}`;
  }

  private key(step: string) {
    return `${this.employeeId}/${step}`;
  }
  private self() {
    return this.api.as(this.employeeId, this.company.byId, this.company.managers);
  }
  private manager() {
    return this.api.as(this.person.managerId!, this.company.byId, this.company.managers);
  }
  private hr() {
    return this.api.token('hr', CAST.hr);
  }
  private async post(token: Promise<string>, command: string, body: object, step: string) {
    return this.api.post(`${this.path}/${command}`, await token, body, this.key(step));
  }
  private async state(): Promise<AppraisalState> {
    return (await this.api.get(this.path, await this.hr())).body.state;
  }
  private chance(what: string) {
    return chance(`${this.employeeId}/${what}`);
  }

  async tell(): Promise<void> {
    const { calendar } = this.company;
    const planned = await this.plan();
    if (!planned) return;
    const months = CAST.late.includes(this.employeeId as never)
      ? calendar.history.slice(0, -1)
      : calendar.history;
    let previous: string | null = null;
    for (const periodId of months) {
      await this.review(periodId, previous, true);
      previous = periodId;
      if (this.employeeId === CAST.planChange && periodId === calendar.history[0]) await this.planChange();
    }
    if (!CAST.late.includes(this.employeeId as never)) await this.currentReview(previous);
    await this.extras();
  }

  /** Submitted, sometimes returned with annotations and resubmitted, approved; false when still open. */
  private async plan(): Promise<boolean> {
    const { calendar } = this.company;
    const lastMonth = calendar.periods[calendar.periods.length - 1];
    const dueDate = `${lastMonth}-28`;
    const actions = [
      {
        indicatorId: 'product_mix',
        ownerEmployeeId: this.employeeId,
        dueDate,
        ...KEY_ACTION_TEXTS.product_mix,
      },
    ];
    const targets = this.person.orgUnitId.endsWith('-west-b')
      ? [{ indicatorId: 'sales_volume', threshold: 700, target: 900, stretch: 1100 }] // a new territory
      : [];
    const returned =
      this.employeeId === CAST.employee ||
      this.employeeId === CAST.planReturned ||
      this.chance('plan-returned') < 0.2;
    await this.post(this.self(), 'submit-plan', { targets, actions }, 'submit-plan/1');
    if (this.employeeId === CAST.planAwaitingApproval) return false;
    if (returned) {
      await this.post(
        this.manager(),
        'return-plan',
        { annotations: [{ path: 'actions', text: 'Add a key action for receivables, with a date' }] },
        'return-plan',
      );
      if (this.employeeId === CAST.planReturned) return false;
      const receivables = {
        indicatorId: 'receivables',
        ownerEmployeeId: this.employeeId,
        dueDate,
        ...KEY_ACTION_TEXTS.receivables,
      };
      await this.post(
        this.self(),
        'submit-plan',
        { targets, actions: [...actions, receivables] },
        'submit-plan/2',
      );
    }
    await this.post(this.manager(), 'approve-plan', {}, 'approve-plan');
    return true;
  }

  private async file(periodId: string, round: number) {
    const actuals = actualsOf(this.employeeId, periodId, this.company.calendar);
    const gap = actuals.sales_volume < 1000 || actuals.product_mix < 400;
    await this.post(
      this.self(),
      'file-period-review',
      {
        periodId,
        actuals: Object.entries(actuals).map(([indicatorId, actual]) => ({ indicatorId, actual })),
        attachments: [{ indicatorId: 'product_mix', ref: `erp/${periodId}/${this.employeeId}/mix.pdf` }],
        ...(gap
          ? { gapReasons: GAP_REASONS[Math.floor(this.chance(`${periodId}/gap`) * GAP_REASONS.length)] }
          : {}),
        ...(gap && this.chance(`${periodId}/support`) < 0.3
          ? { supportRequests: 'A demo unit of the new product line for customer visits' }
          : {}),
      },
      `file/${periodId}/${round}`,
    );
  }

  private async assess(periodId: string) {
    const actuals = actualsOf(this.employeeId, periodId, this.company.calendar);
    const corrected = this.employeeId !== CAST.employee && this.chance(`${periodId}/correct`) < 0.12;
    await this.post(
      this.manager(),
      'assess-period-review',
      {
        periodId,
        corrections: corrected
          ? [
              {
                indicatorId: 'inventory',
                actual: actuals.inventory + 20,
                reason: 'The month-end stock count found 20 more units than reported',
              },
            ]
          : [],
        ...(this.chance(`${periodId}/comment`) < 0.3 ? { comment: 'Thank you, clear review' } : {}),
      },
      `assess/${periodId}`,
    );
  }

  /** Filed (once returned and filed again, for some), assessed, scored; improvements filed and verified. */
  private async review(periodId: string, previous: string | null, withImprovements: boolean) {
    const returned =
      (this.employeeId === CAST.returnedInHistory && periodId === this.company.calendar.history[0]) ||
      this.chance(`${periodId}/returned`) < 0.05;
    await this.file(periodId, 1);
    if (returned) {
      await this.post(
        this.manager(),
        'return-period-review',
        {
          periodId,
          annotations: [{ path: 'attachments', text: 'The ERP export attached is for another month' }],
        },
        `return/${periodId}`,
      );
      await this.file(periodId, 2);
    }
    if (previous) await this.verifyImprovements(previous);
    await this.assess(periodId);
    await this.scored(periodId);
    if (!withImprovements) return;
    const state = await this.state();
    const last = periodId === this.company.calendar.history[this.company.calendar.history.length - 1];
    for (const [improvementId, improvement] of Object.entries(state.improvements)) {
      if (improvement.periodId !== periodId) continue;
      // The last month's improvements are partly still to be filed: open work in the inbox. Chen Jing
      // files the one for her vetoed product mix and still owes the one for receivables.
      const owed =
        this.employeeId === CAST.employee
          ? improvement.indicatorId === 'receivables'
          : this.chance(`${periodId}/${improvement.indicatorId}/improve`) < 0.5;
      if (last && owed) continue;
      const options = IMPROVEMENT_ACTIONS[improvement.indicatorId];
      await this.post(
        this.self(),
        'file-improvement',
        { improvementId, action: options[Math.floor(this.chance(`${periodId}/action`) * options.length)] },
        `improve/${periodId}/${improvement.indicatorId}`,
      );
    }
  }

  /** At the next review the manager verifies what was filed for the month before. */
  private async verifyImprovements(periodId: string) {
    const state = await this.state();
    for (const [improvementId, improvement] of Object.entries(state.improvements)) {
      if (improvement.periodId !== periodId || improvement.status !== 'filed') continue;
      const effective = this.chance(`${periodId}/${improvement.indicatorId}/effective`) > 0.25;
      await this.post(
        this.manager(),
        'verify-improvement',
        {
          improvementId,
          effective,
          goodPractice: effective && this.chance(`${periodId}/${improvement.indicatorId}/good`) > 0.8,
          ...(effective ? {} : { comment: 'No change yet; keep it for next month' }),
        },
        `verify/${periodId}/${improvement.indicatorId}`,
      );
    }
  }

  /** The month now due: not filed yet, filed and awaiting the manager, returned, or done. */
  private async currentReview(previous: string | null) {
    const periodId = this.company.calendar.current;
    const roll = this.chance('current');
    if (this.employeeId === CAST.returnedNow) {
      await this.file(periodId, 1);
      await this.post(
        this.manager(),
        'return-period-review',
        {
          periodId,
          annotations: [{ path: 'actuals.receivables', text: 'Receivables do not match finance' }],
        },
        `return/${periodId}`,
      );
      return;
    }
    if (this.employeeId !== CAST.employee && roll < 0.35) return;
    await this.file(periodId, 1);
    if (this.employeeId === CAST.employee) {
      if (previous) await this.verifyImprovements(previous);
      return; // awaits the manager's assessment
    }
    if (roll < 0.55) return;
    if (previous) await this.verifyImprovements(previous);
    await this.assess(periodId);
    await this.scored(periodId);
  }

  /** The worker's period-scoring process manager scores an assessed month: wait for it. */
  private async scored(periodId: string) {
    const deadline = Date.now() + PROCESS_MANAGER_WAIT_MS;
    while ((await this.state()).periods[periodId]?.status !== 'scored') {
      if (Date.now() > deadline)
        throw new SeedError(`${this.employeeId} ${periodId}: not scored after ${PROCESS_MANAGER_WAIT_MS} ms`);
      await sleep(10, undefined, { signal: this.api.signal });
    }
  }

  private async planChange() {
    const { calendar } = this.company;
    const before = await this.state();
    // A resumed seed may find the change made already, its Idempotency-Key record lost.
    if (before.plan.pendingChange === null && before.plan.targets.some((target) => target.periodId)) return;
    const later = calendar.periods.slice(calendar.periods.indexOf(calendar.history[0]) + 1);
    await this.post(
      this.self(),
      'request-plan-change',
      {
        targets: later.map((periodId) => ({
          indicatorId: 'sales_volume',
          periodId,
          threshold: 700,
          target: 900,
          stretch: 1100,
        })),
        // The approved key actions stay: a change that left them out would have to remove them with a reason.
        actions: before.plan.actions.map((action) => ({
          ...action,
          ...KEY_ACTION_TEXTS[action.indicatorId],
        })),
        reason:
          'The main distributor of the territory closed; volume targets lowered for the rest of the half',
      },
      'request-plan-change',
    );
    const pending = (await this.state()).plan.pendingChange;
    // A resumed seed finds the change already approved.
    if (pending)
      await this.post(
        this.manager(),
        'approve-plan-change',
        { changeId: pending.changeId },
        'approve-plan-change',
      );
  }

  /** Annotations, a waived veto, a contested red line. */
  private async extras() {
    const { calendar } = this.company;
    if (this.employeeId === CAST.employee) {
      const vetoed = calendar.history[calendar.history.length - 1];
      await this.post(
        this.manager(),
        'annotations',
        {
          on: { periodId: vetoed, indicatorId: 'product_mix' },
          text: 'Product mix at 82.5 % of target: the bonus for the month is vetoed; see the improvement actions',
        },
        'annotate',
      );
    } else if (this.chance('annotate') < 0.25 && calendar.history.length > 0) {
      const periodId = calendar.history[Math.floor(this.chance('annotate-month') * calendar.history.length)];
      await this.post(
        this.manager(),
        'annotations',
        { on: { periodId }, text: ANNOTATIONS[Math.floor(this.chance('annotation') * ANNOTATIONS.length)] },
        'annotate',
      );
    }
    if (this.employeeId === CAST.vetoWaived)
      await this.post(
        this.hr(),
        'waive-veto',
        {
          periodId: calendar.history[0],
          indicatorId: 'product_mix',
          reason: 'Supply shortage of the new product line: the plant was shut for two weeks',
        },
        'waive-veto',
      );
    if (this.employeeId === CAST.redLine) {
      // A resumed seed may find the breach filed already, its Idempotency-Key record lost.
      if (Object.keys((await this.state()).redLines).length === 0)
        await this.post(
          this.hr(),
          'file-red-line-breach',
          {
            redLineId: 'customer_harm',
            description: "A key customer's order shipped three weeks late without notice",
            evidence: 'Customer complaint 2026-117',
          },
          'red-line',
        );
      const [breachId] = Object.keys((await this.state()).redLines);
      await this.post(
        this.self(),
        'contest-red-line',
        { breachId, reason: 'The carrier caused the delay; the customer was told by phone on the day' },
        'contest-red-line',
      );
    }
  }
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
    '',
    'Tokens (valid 8 h; `npm run token -- --role <role> --sub <employeeId>` mints more):',
    ...result.tokens.map(
      (row) =>
        `export ${variable[row.role]}=${row.token}  # ${row.role}` +
        (row.employeeId ? ` ${row.employeeId} ${row.name}` : ''),
    ),
    ...(result.featuredAppraisalId
      ? [`export APPRAISAL=${result.featuredAppraisalId}  # Chen Jing's appraisal (e-1121)`]
      : []),
    ...(result.apiKey
      ? [`export API_KEY=${result.apiKey}  # integrator API key (events:read), shown only now`]
      : []),
    '',
    'Try:',
    `curl -s ${url}/appraisals/$APPRAISAL -H "Authorization: Bearer $EMPLOYEE"`,
    `curl -s ${url}/scores/appraisals/$APPRAISAL -H "Authorization: Bearer $MANAGER"`,
    `curl -s ${url}/inbox -H "Authorization: Bearer $MANAGER"`,
    `curl -s ${url}/appraisals/$APPRAISAL/history -H "Authorization: Bearer $AUDITOR"`,
    `curl -s ${url}/audit/verify -H "Authorization: Bearer $AUDITOR"`,
    `curl -s "${url}/events?limit=3" -H "Authorization: Bearer $INTEGRATOR"`,
    `open ${url}/docs`,
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

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const refusal = seedRefusal(config);
  if (refusal) {
    process.stderr.write(`seed-demo: ${refusal}\n`);
    process.exit(1);
  }
  const baseUrl = apiBaseUrl(config);
  const result = await seedDemo({ baseUrl, jwtSecret: config.JWT_SECRET });
  process.stdout.write(`${formatSummary(result, baseUrl)}\n`);
}

if (require.main === module) {
  main().catch((error: Error) => {
    process.stderr.write(`seed-demo: ${error.message}\n`);
    process.exit(1);
  });
}
