import { diffJson } from './definition-diff';

describe('diffJson', () => {
  it('lists added, removed and changed leaves with their paths', () => {
    const from = { name: 'A', steps: [{ kind: 'plan', days: 14 }], grades: ['A'] };
    const to = { name: 'A', steps: [{ kind: 'plan', days: 10 }, { kind: 'review' }], rounding: 2 };
    expect(diffJson(from, to)).toEqual([
      { path: 'steps.0.days', op: 'changed', from: 14, to: 10 },
      { path: 'steps.1', op: 'added', to: { kind: 'review' } },
      { path: 'grades', op: 'removed', from: ['A'] },
      { path: 'rounding', op: 'added', to: 2 },
    ]);
  });

  it('finds nothing between equal documents, and a type change is one change', () => {
    expect(diffJson({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
    expect(diffJson({ a: [1] }, { a: { 0: 1 } })).toEqual([
      { path: 'a', op: 'changed', from: [1], to: { 0: 1 } },
    ]);
  });
});
