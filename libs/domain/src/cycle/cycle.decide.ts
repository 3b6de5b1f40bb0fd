import { ConflictError, IllegalStateError, NotFoundError, ValidationError } from '../shared/errors';
import type { DomainContext } from '../shared/context';
import { requireRole } from '../shared/authorize';
import { assertNever } from '../shared/messages';
import type { Workflow } from '../workflow/workflow.decide';
import type { AppraisalCommandOf } from '../appraisal/appraisal.commands';
import type { CycleCommand } from './cycle.commands';
import type { CycleEvent } from './cycle.events';
import { cycleCalendar } from './periods';

/** One stream per cycle (`cycle-<tenant>.<cycleId>`). */
export type Cycle =
  | { status: 'empty' }
  | {
      status: 'open' | 'closed';
      id: string;
      workflowId: string;
      workflowVersion: number;
      startsAt: string;
      endsAt: string;
      appraisalIds: string[];
      /** Each appraisal's org unit, as the cycle's scope gave it (the unit a forced distribution counts). */
      unitOf: Record<string, string>;
    };

export const initialCycleState = (): Cycle => ({ status: 'empty' });

/** Opening a cycle pins a version: the handler loads the workflow aggregate and passes it here. */
export interface CycleContext extends DomainContext {
  workflow: Workflow;
}

const OPENERS = ['hr', 'process-owner', 'admin'] as const;

export function decideCycle(command: CycleCommand, state: Cycle, ctx: CycleContext): CycleEvent[] {
  switch (command.type) {
    case 'OpenCycle': {
      requireRole(ctx, OPENERS, 'Opening a cycle');
      if (state.status !== 'empty')
        throw new ConflictError('cycle-exists', `cycle "${state.id}" already exists`);
      const { cycleId, name, year, half, workflowId, workflowVersion, subjects } = command.data;
      const workflow = ctx.workflow;
      if (workflow.status === 'empty' || workflow.id !== workflowId)
        throw new NotFoundError('workflow-not-found', `workflow "${workflowId}" has no published version`);
      if (workflow.status === 'retired')
        throw new IllegalStateError('workflow-retired', `workflow "${workflowId}" is retired`);
      const definition = workflow.versions[workflowVersion];
      if (!definition)
        throw new NotFoundError(
          'workflow-version-not-found',
          `workflow "${workflowId}" has no version ${workflowVersion}`,
        );
      if (definition.cadence.cycle === 'half-year' && half === undefined)
        throw new ValidationError('half-required', 'a half-year cycle needs `half` (1 or 2)', [
          { path: 'half', rule: 'required', message: 'give 1 or 2 for a half-year cycle' },
        ]);
      const keys = subjects.map((subject) =>
        subject.kind === 'employee' ? `e:${subject.employeeId}` : `u:${subject.orgUnitId}`,
      );
      const issues = subjects.flatMap((subject, i) => [
        ...(keys.indexOf(keys[i]) !== i
          ? [{ path: `subjects[${i}]`, rule: 'subject-unique', message: 'this subject is listed twice' }]
          : []),
        ...(subject.kind !== definition.subject
          ? [
              {
                path: `subjects[${i}].kind`,
                rule: 'subject-kind',
                message: `the workflow appraises "${definition.subject}", not "${subject.kind}"`,
              },
            ]
          : []),
      ]);
      if (issues.length > 0)
        throw new ValidationError('invalid-cycle-scope', 'the cycle scope is invalid', issues);
      const calendar = cycleCalendar(definition.cadence, year, half ?? 1);
      const template =
        definition.scorecard.templateId && definition.scorecard.templateVersion
          ? { templateId: definition.scorecard.templateId, version: definition.scorecard.templateVersion }
          : null;
      return [
        {
          type: 'CycleOpened',
          data: {
            cycleId,
            name,
            year,
            workflowId,
            workflowVersion,
            scorecardTemplate: template,
            startsAt: calendar.startsAt,
            endsAt: calendar.endsAt,
            periods: calendar.periods,
            appraisals: subjects.map((subject) => ({ appraisalId: ctx.newId(), subject })),
            at: ctx.now,
          },
        },
      ];
    }
    case 'CloseCycle':
      requireRole(ctx, OPENERS, 'Closing a cycle');
      if (state.status === 'empty')
        throw new NotFoundError('cycle-not-found', `cycle "${command.data.cycleId}" does not exist`);
      if (state.status === 'closed')
        throw new IllegalStateError('cycle-closed', `cycle "${state.id}" is already closed`);
      return [{ type: 'CycleClosed', data: { cycleId: state.id, at: ctx.now } }];
    default:
      return assertNever(command);
  }
}

export function evolveCycle(state: Cycle, event: CycleEvent): Cycle {
  switch (event.type) {
    case 'CycleOpened':
      return {
        status: 'open',
        id: event.data.cycleId,
        workflowId: event.data.workflowId,
        workflowVersion: event.data.workflowVersion,
        startsAt: event.data.startsAt,
        endsAt: event.data.endsAt,
        appraisalIds: event.data.appraisals.map((appraisal) => appraisal.appraisalId),
        unitOf: Object.fromEntries(
          event.data.appraisals.map(({ appraisalId, subject }) => [appraisalId, subject.orgUnitId]),
        ),
      };
    case 'CycleClosed':
      return state.status === 'empty' ? state : { ...state, status: 'closed' };
    default:
      return assertNever(event);
  }
}

/** The OpenAppraisal commands a process manager sends after `CycleOpened` (one per appraisal stream). */
export function openAppraisalCommands(
  cycleOpened: Extract<CycleEvent, { type: 'CycleOpened' }>['data'],
): AppraisalCommandOf<'OpenAppraisal'>[] {
  return cycleOpened.appraisals.map(({ appraisalId, subject }) => ({
    type: 'OpenAppraisal',
    data: {
      appraisalId,
      cycleId: cycleOpened.cycleId,
      subject,
      workflowId: cycleOpened.workflowId,
      workflowVersion: cycleOpened.workflowVersion,
      cycleStartsAt: cycleOpened.startsAt,
      cycleEndsAt: cycleOpened.endsAt,
      periods: cycleOpened.periods,
    },
  }));
}
