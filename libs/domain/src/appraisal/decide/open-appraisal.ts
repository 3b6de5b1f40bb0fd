import { ConflictError, type Issue } from '../../shared/errors';
import { requireRole } from '../../shared/authorize';
import { orgUnitOf } from '../../directory/directory.queries';
import type { AppraisalCommandOf } from '../appraisal.commands';
import type { AppraisalEvent, AppraisalEventOf } from '../appraisal.events';
import { evolveAppraisal } from '../appraisal.evolve';
import type { Appraisal, OpenedAppraisal } from '../appraisal.state';
import { openStep } from '../appraisal.steps';
import { invalid, type AppraisalContext } from './context';

/**
 * The dates an appraisal is opened with (copied from its cycle by the process manager, typed by HR
 * in an override) must make a cycle: years as a cycle may have, the end after the start, every
 * period inside it; otherwise they skew unit distributions and calibration.
 */
export function checkCycleDates(data: AppraisalCommandOf<'OpenAppraisal'>['data']): void {
  const issues: Issue[] = [];
  // Instants may carry an offset: compare them as times, never as text.
  const time = (at: string) => new Date(at).getTime();
  for (const path of ['cycleStartsAt', 'cycleEndsAt'] as const) {
    const year = new Date(data[path]).getUTCFullYear();
    if (year < 2000 || year > 2101)
      issues.push({ path, rule: 'year-range', message: 'a cycle lies between the years 2000 and 2100' });
  }
  const [starts, ends] = [time(data.cycleStartsAt), time(data.cycleEndsAt)];
  if (ends <= starts)
    issues.push({
      path: 'cycleEndsAt',
      rule: 'end-after-start',
      message: 'the cycle must end after it starts',
    });
  data.periods.forEach((period, i) => {
    if (time(period.endsAt) <= time(period.startsAt))
      issues.push({
        path: `periods[${i}].endsAt`,
        rule: 'end-after-start',
        message: 'a period must end after it starts',
      });
    else if (time(period.startsAt) < starts || time(period.endsAt) > ends)
      issues.push({
        path: `periods[${i}]`,
        rule: 'period-in-cycle',
        message: 'a period lies inside its cycle',
      });
  });
  if (issues.length > 0) invalid('invalid-cycle-dates', issues);
}

/**
 * An appraisal HR opens by hand must belong to an open cycle, follow its workflow version and
 * dates, and concern someone the directory knows, in the unit the directory gives them today:
 * otherwise it skews the unit's distribution and calibration.
 */
export function checkOpeningAgainstCycle(
  data: AppraisalCommandOf<'OpenAppraisal'>['data'],
  opening: NonNullable<AppraisalContext['opening']>,
  today: string,
): void {
  const { cycle, directory } = opening;
  const issues: Issue[] = [];
  if (cycle.status === 'empty')
    issues.push({ path: 'cycleId', rule: 'known-cycle', message: `there is no cycle "${data.cycleId}"` });
  else {
    if (cycle.status === 'closed')
      issues.push({ path: 'cycleId', rule: 'cycle-open', message: `cycle "${data.cycleId}" is closed` });
    if (cycle.workflowId !== data.workflowId)
      issues.push({
        path: 'workflowId',
        rule: 'matches-cycle',
        message: `the cycle follows "${cycle.workflowId}"`,
      });
    else if (cycle.workflowVersion !== data.workflowVersion)
      issues.push({
        path: 'workflowVersion',
        rule: 'matches-cycle',
        message: `the cycle follows version ${cycle.workflowVersion}`,
      });
    for (const [path, expected] of [
      ['cycleStartsAt', cycle.startsAt],
      ['cycleEndsAt', cycle.endsAt],
    ] as const)
      if (new Date(data[path]).getTime() !== new Date(expected).getTime())
        issues.push({ path, rule: 'matches-cycle', message: `the cycle gives ${expected}` });
  }
  const subject = data.subject;
  if (subject.kind === 'employee') {
    const unit = orgUnitOf(directory, subject.employeeId, today);
    if (unit === null)
      issues.push({
        path: 'subject.employeeId',
        rule: 'known-employee',
        message: `the directory has no employee "${subject.employeeId}" today`,
      });
    else if (unit !== subject.orgUnitId)
      issues.push({
        path: 'subject.orgUnitId',
        rule: 'employee-unit',
        message: `the directory places "${subject.employeeId}" in "${unit}" today`,
      });
  } else if (directory.status === 'empty' || !directory.orgUnits[subject.orgUnitId])
    issues.push({
      path: 'subject.orgUnitId',
      rule: 'known-org-unit',
      message: `the directory has no org unit "${subject.orgUnitId}"`,
    });
  if (issues.length > 0) invalid('opening-disagrees-with-cycle', issues);
}

/** Opening: by the cycle's process manager (`system`) from the cycle, or by HR as a checked override. */
export function decideOpenAppraisal(
  command: AppraisalCommandOf<'OpenAppraisal'>,
  state: Appraisal,
  ctx: AppraisalContext,
): AppraisalEvent[] {
  const { workflow } = ctx;
  const definition = workflow.definition;
  const at = ctx.now;
  requireRole(ctx, ['system', 'hr', 'admin'], 'Opening an appraisal');
  if (state.status !== 'empty')
    throw new ConflictError('appraisal-exists', `appraisal "${state.id}" is already open`);
  const data = command.data;
  checkCycleDates(data);
  if (ctx.actor.role !== 'system') {
    // A person's opening always comes with its facts (the API's binding loads them).
    if (!ctx.opening)
      throw new Error('OpenAppraisal by a person needs the cycle and directory in its context');
    checkOpeningAgainstCycle(data, ctx.opening, ctx.now);
  }
  if (workflow.workflowId !== data.workflowId || workflow.version !== data.workflowVersion)
    throw new ConflictError(
      'workflow-version-mismatch',
      `the context carries ${workflow.workflowId} v${workflow.version}, the command ${data.workflowId} v${data.workflowVersion}`,
    );
  const openedEvent: AppraisalEventOf<'AppraisalOpened'> = {
    type: 'AppraisalOpened',
    data: { ...data, at },
  };
  const fresh = evolveAppraisal(state, openedEvent) as OpenedAppraisal;
  return [openedEvent, openStep(fresh, definition, workflow.version, 'plan', null, ctx)];
}
