import { relationOf, type Role } from '../index';
import { orgDirectory } from '../testing/org-directory';
import { readableAppraisees, readsUnitScores, seesAppraisalOf } from './readable-appraisees';
import { seesAppraisal } from './visibility';

const day = '2025-06-01T00:00:00.000Z';
const { unit, build } = orgDirectory({ effectiveFrom: '2025-01-01', kind: 'department' });
const directory = build([
  unit('hq', null, { boss: null, zed: 'boss' }),
  unit('sales', 'hq', { mgr: 'boss', ann: 'mgr', bob: 'mgr' }),
  unit('north', 'sales', { lead: 'mgr', cai: 'lead' }),
]);
const people = ['boss', 'zed', 'mgr', 'ann', 'bob', 'lead', 'cai'];
const person = (employeeId: string, role: Role = 'manager') => ({ role, employeeId });

describe('which appraisees a reader may read (lists, reports, the cycle)', () => {
  it.each(['hr', 'admin', 'process-owner', 'auditor'] as const)('%s reads everyone', (role) => {
    expect(readableAppraisees({ role }, directory, day)).toBeUndefined();
  });

  it('a person reads themselves and the people they manage, directly and one level down', () => {
    expect(readableAppraisees(person('mgr'), directory, day)?.sort()).toEqual([
      'ann',
      'bob',
      'cai',
      'lead',
      'mgr',
    ]);
    expect(readableAppraisees(person('ann', 'employee'), directory, day)).toEqual(['ann']);
    expect(readableAppraisees(person('zed'), directory, day)).toEqual(['zed']);
    expect(readableAppraisees({ role: 'manager' }, directory, day)).toEqual([]);
  });

  it.each(people)('agrees, for %s, with seesAppraisal on every person of the directory', (reader) => {
    const readable = new Set(readableAppraisees(person(reader), directory, day));
    for (const subject of people) {
      const relation = subject === reader ? 'self' : relationOf(directory, reader, subject, day);
      expect([subject, readable.has(subject)]).toEqual([
        subject,
        seesAppraisal({ role: 'manager', relation }),
      ]);
      expect(
        seesAppraisalOf(
          person(reader),
          directory,
          { kind: 'employee', employeeId: subject, orgUnitId: 'sales' },
          day,
        ),
      ).toBe(readable.has(subject));
    }
  });
});

describe("who reads a unit's score report", () => {
  it("the heads of the unit and of every unit above it: the managers of the unit's line", () => {
    expect(readsUnitScores(person('lead'), directory, 'north', day)).toBe(true);
    expect(readsUnitScores(person('mgr'), directory, 'north', day)).toBe(true);
    expect(readsUnitScores(person('boss'), directory, 'north', day)).toBe(true);
    expect(readsUnitScores(person('mgr'), directory, 'sales', day)).toBe(true);
  });

  it('not a manager outside the line, a head of a unit below, an employee, or a unit nobody knows', () => {
    expect(readsUnitScores(person('zed'), directory, 'sales', day)).toBe(false);
    expect(readsUnitScores(person('lead'), directory, 'sales', day)).toBe(false);
    expect(readsUnitScores(person('mgr'), directory, 'hq', day)).toBe(false);
    expect(readsUnitScores(person('ann', 'employee'), directory, 'sales', day)).toBe(false);
    expect(readsUnitScores(person('boss'), directory, 'nowhere', day)).toBe(false);
    expect(readsUnitScores({ role: 'hr' }, directory, 'sales', day)).toBe(true);
  });
});
