import {
  CAST,
  actualsOf,
  demoCalendar,
  demoPeople,
  formatSummary,
  seedRefusal,
  type SeedResult,
} from './seed-demo';

describe('demo calendar', () => {
  it('in December: the second half, July to October reviewed, November due now', () => {
    expect(demoCalendar(new Date('2026-12-01T19:00:00Z'))).toEqual({
      cycleId: 'demo-2026-h2',
      name: 'Sales 2026 H2',
      year: 2026,
      half: 2,
      periods: ['2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12'],
      history: ['2026-07', '2026-08', '2026-09', '2026-10'],
      current: '2026-11',
    });
  });

  it('early in a half there is too little history: the half before, all of it past', () => {
    expect(demoCalendar(new Date('2027-01-20T00:00:00Z'))).toMatchObject({
      cycleId: 'demo-2026-h2',
      history: ['2026-07', '2026-08', '2026-09', '2026-10', '2026-11'],
      current: '2026-12',
    });
    expect(demoCalendar(new Date('2026-08-31T23:59:59Z'))).toMatchObject({
      cycleId: 'demo-2026-h1',
      current: '2026-06',
    });
    expect(demoCalendar(new Date('2026-09-01T00:00:00Z'))).toMatchObject({
      cycleId: 'demo-2026-h2',
      history: ['2026-07'],
      current: '2026-08',
    });
  });
});

describe('demo company', () => {
  const people = demoPeople();

  it('50 people with distinct ids, names and e-mail addresses; every manager is one of them', () => {
    expect(people).toHaveLength(50);
    for (const field of ['employeeId', 'name', 'email'] as const)
      expect(new Set(people.map((p) => p[field])).size).toBe(50);
    const ids = new Set(people.map((p) => p.employeeId));
    expect(people.filter((p) => p.managerId === null).map((p) => p.employeeId)).toEqual(['e-1000']);
    for (const p of people) if (p.managerId) expect(ids.has(p.managerId)).toBe(true);
    // Hired after their manager, so the import's effective dates hold.
    const byId = new Map(people.map((p) => [p.employeeId, p]));
    for (const p of people)
      if (p.managerId) expect(byId.get(p.managerId)!.hiredFrom <= p.hiredFrom).toBe(true);
  });

  it("the tour's people: Chen Jing and her team lead", () => {
    const chen = people.find((p) => p.employeeId === CAST.employee)!;
    expect(chen).toMatchObject({ name: 'Chen Jing', managerId: CAST.manager, orgUnitId: 'sales-east-a' });
  });

  it("the README tour's escalation and nomination: whose manager each goes to", () => {
    const byId = new Map(people.map((p) => [p.employeeId, p]));
    // Huang Jun's late review escalates to Ma Jun, the sales manager of the East.
    expect(byId.get(CAST.late[0])).toMatchObject({ name: 'Huang Jun', managerId: 'e-1110' });
    expect(byId.get('e-1110')).toMatchObject({ name: 'Ma Jun', orgUnitId: 'sales-east' });
    // Lin Fang's proposal waits for her team lead, Huang Jun; the peer she proposes is of the other team.
    expect(byId.get(CAST.nominationPending)).toMatchObject({ name: 'Lin Fang', managerId: CAST.manager });
    expect(byId.get(CAST.pendingNominee)).toMatchObject({ name: 'Wu Qiang', orgUnitId: 'sales-east-b' });
  });

  it("Chen Jing's last reviewed month has the worked example's actuals; the others vary by person and month", () => {
    const calendar = demoCalendar(new Date('2026-12-01T19:00:00Z'));
    expect(actualsOf(CAST.employee, '2026-10', calendar)).toEqual({
      sales_volume: 950,
      receivables: '2.2',
      inventory: 450,
      product_mix: 330,
    });
    expect(actualsOf('e-1122', '2026-07', calendar)).toEqual(actualsOf('e-1122', '2026-07', calendar));
    const volumes = new Set(
      people
        .slice(8)
        .flatMap((p) => calendar.history.map((m) => actualsOf(p.employeeId, m, calendar).sales_volume)),
    );
    expect(volumes.size).toBeGreaterThan(30);
  });
});

describe('what start prints', () => {
  const result: SeedResult = {
    outcome: 'seeded',
    tenant: 'demo',
    cycleId: 'demo-2026-h2',
    employees: 50,
    appraisals: 42,
    periods: ['2026-07', '2026-12'],
    reviewed: ['2026-07', '2026-10'],
    dueNow: '2026-11',
    requests: 1600,
    ms: 9000,
    openingMs: 1234,
    featuredAppraisalId: 'a-1',
    refusedAsDone: 0,
    apiKey: 'vk_0123456789ab_secret',
    tokens: [
      { role: 'employee', employeeId: 'e-1121', name: 'Chen Jing', token: 'eyJ.a.b' },
      { role: 'process-owner', employeeId: 'e-1003', name: 'Zhao Min', token: 'eyJ.c.d' },
    ],
  };

  it('exports each credential as a shell variable and names the requests to try', () => {
    const text = formatSummary(result, 'http://127.0.0.1:3000');
    expect(text).toContain('export EMPLOYEE=eyJ.a.b  # employee e-1121 Chen Jing');
    expect(text).toContain('export OWNER=eyJ.c.d  # process-owner e-1003 Zhao Min');
    expect(text).toContain('export API_KEY=vk_0123456789ab_secret');
    expect(text).toContain('2026-11 due now');
    // The first thing a newcomer reads is where the screens are, before any token.
    expect(text.indexOf('Open http://127.0.0.1:3000/ in a browser')).toBeLessThan(text.indexOf('export '));
    expect(text).toContain("The worker opened the cycle's appraisals in 1.23 s.");
    for (const line of text.split('\n').filter((l) => l.startsWith('export ')))
      expect(line).toMatch(/^export [A-Z_]+=\S+( {2}#.*)?$/);
    expect(text.split('\n').filter((l) => l.startsWith('curl '))).toHaveLength(6);
  });

  it('refuses to seed in production or when tokens would not verify', () => {
    expect(seedRefusal({ NODE_ENV: 'development', JWKS_URL: undefined })).toBeNull();
    expect(seedRefusal({ NODE_ENV: 'production', JWKS_URL: undefined })).toMatch(/production/);
    expect(seedRefusal({ NODE_ENV: 'development', JWKS_URL: 'https://keys.example/jwks' })).toMatch(
      /JWKS_URL/,
    );
  });
});
