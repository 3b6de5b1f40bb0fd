import { directoryDecider, type DirectoryEvent } from '../index';
import { demoWithHq, e7Hired } from '../testing/org-directory';
import { NOW, contextFor, specification } from '../testing/specification';

const spec = specification(directoryDecider);

const hired: DirectoryEvent[] = [
  ...demoWithHq,
  e7Hired({ name: 'Zhang San', email: 'zhang.san@example.com' }),
];
const hr = contextFor('hr', { actorId: 'hr-1' });
const auditor = contextFor('auditor', { actorId: 'auditor-1' });
const requested: DirectoryEvent = {
  type: 'SubjectErasureRequested',
  data: { employeeId: 'e-7', requestedBy: 'hr-1', at: NOW },
};
const request = { type: 'RequestSubjectErasure', data: { employeeId: 'e-7' } } as const;
const erase = { type: 'EraseSubjectData', data: { employeeId: 'e-7' } } as const;

describe("erasure of a person's data: HR asks, an auditor approves", () => {
  it('records the request, then the erasure with both people, and never any personal data', () => {
    spec.given(hired).when(request, hr).then([requested]);
    spec
      .given([...hired, requested])
      .when(erase, auditor)
      .then([
        {
          type: 'SubjectDataErased',
          data: { employeeId: 'e-7', requestedBy: 'hr-1', approvedBy: 'auditor-1', at: NOW },
        },
      ]);
  });

  it('refuses an erasure nobody asked for, and one asked for twice', () => {
    spec.given(hired).when(erase, auditor).thenThrows('erasure-not-requested', 'illegal-state');
    spec
      .given([...hired, requested])
      .when(request, hr)
      .thenThrows('erasure-requested', 'conflict');
  });

  it('needs HR to ask and an auditor to approve, two different users', () => {
    spec.given(hired).when(request, auditor).thenThrows('role-not-allowed', 'forbidden');
    spec.given(hired).when(request, contextFor('admin')).thenThrows('role-not-allowed', 'forbidden');
    spec
      .given([...hired, requested])
      .when(erase, hr)
      .thenThrows('role-not-allowed', 'forbidden');
    spec
      .given([...hired, requested])
      .when(erase, contextFor('auditor', { actorId: 'hr-1' }))
      .thenThrows('erasure-needs-second-person', 'illegal-state');
  });

  it('erases once, for someone who exists', () => {
    const erased: DirectoryEvent = {
      type: 'SubjectDataErased',
      data: { employeeId: 'e-7', requestedBy: 'hr-1', approvedBy: 'auditor-1', at: NOW },
    };
    spec
      .given([...hired, requested, erased])
      .when(request, hr)
      .thenThrows('subject-erased', 'conflict');
    spec
      .given([...hired, requested, erased])
      .when(erase, auditor)
      .thenThrows('subject-erased', 'conflict');
    spec
      .given(hired)
      .when({ type: 'RequestSubjectErasure', data: { employeeId: 'nobody' } }, hr)
      .thenThrows('employee-not-found', 'not-found');
  });
});
