import * as domain from './index';
import { assertNever, idsFrom, isDomainError, ConflictError, ValidationError } from './index';

describe('the public index', () => {
  it('exports the API other modules integrate with', () => {
    const expected = [
      'eventSchemas',
      'commandSchemas',
      'AGGREGATES',
      'commandAggregate',
      'DomainError',
      'ValidationError',
      'NotFoundError',
      'ForbiddenError',
      'IllegalStateError',
      'ConflictError',
      'parseWorkflowDefinition',
      'parseScorecardTemplate',
      'WorkflowDefinition',
      'sales4232Workflow',
      'decideDirectory',
      'evolveDirectory',
      'initialDirectoryState',
      'relationOf',
      'employeesInScope',
      'managerOf',
      'decideWorkflow',
      'evolveWorkflow',
      'initialWorkflowState',
      'pinWorkflowVersion',
      'decideScorecardTemplate',
      'evolveScorecardTemplate',
      'initialScorecardTemplateState',
      'decideCycle',
      'evolveCycle',
      'initialCycleState',
      'openAppraisalCommands',
      'cycleCalendar',
      'decideAppraisal',
      'evolveAppraisal',
      'initialAppraisalState',
      'openSteps',
      'timerKey',
      'timerEventId',
      'scorePeriod',
      'scoreAnnual',
      'checkForcedDistribution',
      'gradeFor',
      'evaluateFormula',
    ];
    expect(expected.filter((name) => !(name in domain))).toEqual([]);
    // Every export resolves to a value (no dangling re-export).
    for (const [name, value] of Object.entries(domain))
      expect([name, value === undefined]).toEqual([name, false]);
  });

  it('maps every command to its aggregate', () => {
    expect(domain.commandAggregate.SubmitPlan).toBe('appraisal');
    expect(domain.commandAggregate.PublishScorecardTemplateVersion).toBe('scorecardTemplate');
    expect(domain.commandAggregate.HireEmployee).toBe('directory');
    expect(Object.keys(domain.commandAggregate).sort()).toEqual(Object.keys(domain.commandSchemas).sort());
  });

  it('hands out ids in order and says when they run out', () => {
    const next = idsFrom(['a', 'b']);
    expect([next(), next()]).toEqual(['a', 'b']);
    expect(() => next()).toThrow('only 2 ids');
  });

  it('types errors by intent with a stable code', () => {
    const error = new ValidationError('invalid-x', 'x is invalid', [{ path: 'x', rule: 'r', message: 'm' }]);
    expect([error.name, error.intent, error.code, error.details]).toEqual([
      'ValidationError',
      'validation',
      'invalid-x',
      { issues: [{ path: 'x', rule: 'r', message: 'm' }] },
    ]);
    expect(new ConflictError('c', 'm', { a: 1 })).toMatchObject({ intent: 'conflict', details: { a: 1 } });
    expect(isDomainError(error)).toBe(true);
    expect(isDomainError(new Error('x'))).toBe(false);
    expect(() => assertNever('x' as never)).toThrow('Unhandled case: "x"');
  });
});
