import { initialDirectoryState } from '../directory/directory.state';
import { orgDirectory } from '../testing/org-directory';
import { nominationCandidates, seesCandidateNames } from './nomination-candidates';

const { unit, left, build } = orgDirectory();
// hq ─ sales ─┬ east-a (lead ann; kim, lou)
//             └ east-b (lead bo; max)        other (zoe), outside sales
const directory = build([
  unit('hq', null, { boss: null }),
  unit('sales', 'hq', { mgr: 'boss' }),
  unit('east-a', 'sales', { ann: 'mgr', kim: 'ann', lou: 'ann' }),
  unit('east-b', 'sales', { bo: 'mgr', max: 'bo' }),
  unit('other', 'hq', { zoe: 'boss' }),
  left('lou', '2026-06-01'),
]);

describe("the colleagues offered as an appraisee's 360 raters", () => {
  it("are the department's people employed that day, without the appraisee and their manager chain", () => {
    // kim's department is sales (east-a's parent): her lead ann and ann's manager mgr rate in their own groups.
    expect(nominationCandidates(directory, 'kim', '2026-03-01')).toEqual(['bo', 'lou', 'max']);
    expect(nominationCandidates(directory, 'kim', '2026-07-01')).toEqual(['bo', 'max']);
    // A team lead's candidates include her own reports and the other team; nobody outside sales.
    expect(nominationCandidates(directory, 'ann', '2026-03-01')).toEqual(['bo', 'kim', 'lou', 'max']);
    // At the top, the unit itself: everyone but the appraisee.
    expect(nominationCandidates(directory, 'boss', '2026-03-01')).toEqual([
      'ann',
      'bo',
      'kim',
      'lou',
      'max',
      'mgr',
      'zoe',
    ]);
    expect(nominationCandidates(directory, 'nobody', '2026-03-01')).toEqual([]);
    expect(nominationCandidates(initialDirectoryState(), 'kim', '2026-03-01')).toEqual([]);
  });

  it('are named to the appraisee and to whoever reads names anyway; ids only to the others', () => {
    const viewer = (
      role: 'employee' | 'manager' | 'hr' | 'process-owner' | 'auditor',
      relation: 'self' | 'manager' | 'peer' | 'none',
      scopes: string[] = [],
    ) => ({
      role,
      relation,
      scopes,
    });
    expect(seesCandidateNames(viewer('employee', 'self'))).toBe(true);
    expect(seesCandidateNames(viewer('manager', 'manager'))).toBe(true);
    expect(seesCandidateNames(viewer('hr', 'none'))).toBe(true);
    expect(seesCandidateNames(viewer('auditor', 'none', ['pii']))).toBe(true);
    expect(seesCandidateNames(viewer('employee', 'peer'))).toBe(false);
    expect(seesCandidateNames(viewer('process-owner', 'none'))).toBe(false);
    expect(seesCandidateNames(viewer('auditor', 'none'))).toBe(false);
  });
});
