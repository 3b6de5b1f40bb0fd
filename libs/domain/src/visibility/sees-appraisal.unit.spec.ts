import { readsEveryAppraisal, seesAppraisal } from './visibility';

const mayReadAppraisal = (
  role: Parameters<typeof seesAppraisal>[0]['role'],
  relation: Parameters<typeof seesAppraisal>[0]['relation'],
) => seesAppraisal({ role, relation });

describe('who may read an appraisal', () => {
  it.each(['hr', 'process-owner', 'auditor', 'admin'] as const)('%s reads every appraisal', (role) => {
    expect(readsEveryAppraisal(role)).toBe(true);
    expect(mayReadAppraisal(role, 'none')).toBe(true);
  });

  it.each(['self', 'manager', 'skip-level'] as const)(
    'a person reads the appraisal of their line (%s)',
    (relation) => {
      expect(mayReadAppraisal('employee', relation)).toBe(true);
      expect(mayReadAppraisal('manager', relation)).toBe(true);
    },
  );

  it('a peer, an integrator or anyone outside the line does not: it reads as absent', () => {
    expect(mayReadAppraisal('employee', 'peer')).toBe(false);
    expect(mayReadAppraisal('manager', 'none')).toBe(false);
    expect(mayReadAppraisal('integrator', 'none')).toBe(false);
    expect(readsEveryAppraisal('manager')).toBe(false);
  });
});
