import {
  cycleCalendar,
  cycleDecider,
  evolveCycle,
  evolveWorkflow,
  initialCycleState,
  initialWorkflowState,
  openAppraisalCommands,
  parseWorkflowDefinition,
  sales4232Workflow,
  type CycleCommand,
  type CycleContext,
  type CycleEvent,
  type WorkflowDefinition,
} from '../index';
import { NOW, contextFor, specification } from '../testing/specification';

const parsed = parseWorkflowDefinition(sales4232Workflow);
const definition = (parsed.ok ? parsed.definition : null) as WorkflowDefinition;
const workflow = evolveWorkflow(initialWorkflowState(), {
  type: 'WorkflowVersionPublished',
  data: { workflowId: 'sales', version: 1, definition, at: NOW },
});
const spec = specification(cycleDecider);
const hrCtx = (overrides: Partial<CycleContext> = {}): CycleContext => ({
  ...contextFor('hr', { ids: ['ap-1', 'ap-2'] }),
  workflow,
  ...overrides,
});

const open = (data: Partial<Extract<CycleCommand, { type: 'OpenCycle' }>['data']> = {}): CycleCommand => ({
  type: 'OpenCycle',
  data: {
    cycleId: 'c2026',
    name: 'Sales 2026',
    year: 2026,
    workflowId: 'sales',
    workflowVersion: 1,
    subjects: [
      { kind: 'employee', employeeId: 'ann', orgUnitId: 'east' },
      { kind: 'employee', employeeId: 'bob', orgUnitId: 'east' },
    ],
    ...data,
  },
});

describe('cycle', () => {
  it('opens a cycle pinned to a workflow version, with twelve monthly periods and one appraisal per subject', () => {
    const [event] = spec.given([]).when(open(), hrCtx()).events();
    expect(event.type).toBe('CycleOpened');
    if (event.type !== 'CycleOpened') return;
    expect(event.data).toMatchObject({
      workflowId: 'sales',
      workflowVersion: 1,
      startsAt: '2026-01-01T00:00:00.000Z',
      endsAt: '2027-01-01T00:00:00.000Z',
      scorecardTemplate: null,
    });
    expect(event.data.periods).toHaveLength(12);
    expect(event.data.periods[1]).toEqual({
      periodId: '2026-02',
      startsAt: '2026-02-01T00:00:00.000Z',
      endsAt: '2026-03-01T00:00:00.000Z',
    });
    expect(event.data.appraisals.map((a) => a.appraisalId)).toEqual(['ap-1', 'ap-2']);
    const commands = openAppraisalCommands(event.data);
    expect(commands[1]).toMatchObject({
      type: 'OpenAppraisal',
      data: { appraisalId: 'ap-2', cycleId: 'c2026', workflowVersion: 1, subject: { employeeId: 'bob' } },
    });
  });

  it('builds quarters, halves and half-year cycles', () => {
    expect(cycleCalendar({ cycle: 'year', period: 'quarter' }, 2026).periods.map((p) => p.periodId)).toEqual([
      '2026-Q1',
      '2026-Q2',
      '2026-Q3',
      '2026-Q4',
    ]);
    expect(
      cycleCalendar({ cycle: 'half-year', period: 'quarter' }, 2026, 2).periods.map((p) => p.periodId),
    ).toEqual(['2026-Q3', '2026-Q4']);
    expect(cycleCalendar({ cycle: 'year', period: 'half' }, 2026).periods.map((p) => p.periodId)).toEqual([
      '2026-H1',
      '2026-H2',
    ]);
    expect(cycleCalendar({ cycle: 'half-year', period: 'month' }, 2026, 2)).toMatchObject({
      startsAt: '2026-07-01T00:00:00.000Z',
      endsAt: '2027-01-01T00:00:00.000Z',
    });
  });

  it('refuses what cannot be opened', () => {
    spec
      .given([])
      .when(open(), { ...hrCtx(), actor: { id: 'u', role: 'employee' } })
      .thenThrows('role-not-allowed', 'forbidden');
    spec
      .given([])
      .when(open({ workflowId: 'other' }), hrCtx())
      .thenThrows('workflow-not-found', 'not-found');
    spec
      .given([])
      .when(open({ workflowVersion: 9 }), hrCtx())
      .thenThrows('workflow-version-not-found', 'not-found');
    spec
      .given([])
      .when(
        open(),
        hrCtx({
          workflow: evolveWorkflow(workflow, {
            type: 'WorkflowRetired',
            data: { workflowId: 'sales', lastVersion: 1, at: NOW, pii: {} },
          }),
        }),
      )
      .thenThrows('workflow-retired', 'illegal-state');
    spec
      .given([])
      .when(
        open({
          subjects: [
            { kind: 'employee', employeeId: 'a', orgUnitId: 'u' },
            { kind: 'employee', employeeId: 'a', orgUnitId: 'u' },
          ],
        }),
        hrCtx(),
      )
      .thenThrows('invalid-cycle-scope', 'validation');
    spec
      .given([])
      .when(open({ subjects: [{ kind: 'org-unit', orgUnitId: 'u' }] }), hrCtx())
      .thenThrows('invalid-cycle-scope', 'validation');
    const halfYear = evolveWorkflow(initialWorkflowState(), {
      type: 'WorkflowVersionPublished',
      data: {
        workflowId: 'sales',
        version: 1,
        definition: { ...definition, cadence: { cycle: 'half-year', period: 'month' } },
        at: NOW,
      },
    });
    spec
      .given([])
      .when(open(), hrCtx({ workflow: halfYear }))
      .thenThrows('half-required', 'validation');
    const [opened] = spec.given([]).when(open(), hrCtx()).events();
    spec.given([opened]).when(open(), hrCtx()).thenThrows('cycle-exists', 'conflict');
  });

  it('closes an open cycle once', () => {
    const [opened] = spec.given([]).when(open(), hrCtx()).events();
    const close: CycleCommand = { type: 'CloseCycle', data: { cycleId: 'c2026' } };
    const closed: CycleEvent = { type: 'CycleClosed', data: { cycleId: 'c2026', at: NOW } };
    spec.given([opened]).when(close, hrCtx()).then([closed]);
    spec.given([opened, closed]).when(close, hrCtx()).thenThrows('cycle-closed', 'illegal-state');
    spec.given([]).when(close, hrCtx()).thenThrows('cycle-not-found', 'not-found');
    spec
      .given([opened])
      .when(close, { ...hrCtx(), actor: { id: 'u', role: 'manager' } })
      .thenThrows('role-not-allowed', 'forbidden');
    expect(evolveCycle(initialCycleState(), closed)).toEqual({ status: 'empty' });
  });
});
