import { randomUUID } from 'node:crypto';
import {
  AGGREGATES,
  cycleCalendar,
  decideAppraisal,
  decideDirectoryBatch,
  decideWorkflow,
  eventSchemas,
  evolveDirectory,
  initialAppraisalState,
  isEventType,
  pinWorkflowVersion,
  sales4232Workflow,
  type AppraisalEvent,
  type DirectoryCommand,
  type DomainContext,
  type Role,
  appraisalDecider,
  directoryDecider,
  workflowDecider,
  fold,
} from '@verity/domain';
import {
  comparePositions,
  START,
  streamName,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '@verity/event-store';

/** A tenant of its own per test: the per-worker database is shared by the tests of a file. */
export const newTenant = (name: string) => `${name}-${randomUUID().slice(0, 8)}`;

type Draft = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The sales workflow with the plan step's timing replaced. Plan approval keeps only its SLA (120 h,
 * ADR 0119): due five days after the plan is submitted, without reminders or escalation.
 */
export function workflowWithPlan(plan: {
  days: number;
  daysBefore?: number[];
  onDueDay?: boolean;
  escalation?: unknown;
}) {
  const draft = structuredClone(sales4232Workflow) as Draft;
  const steps = draft.steps as Draft[];
  const planStep = steps.find((step) => step.kind === 'plan')!;
  planStep.due = { from: 'opened', days: plan.days };
  planStep.reminders = { daysBefore: plan.daysBefore ?? [], onDueDay: plan.onDueDay ?? false };
  planStep.escalation = plan.escalation ?? null;
  // The step's SLA would cut the due date short (ADR 0119): these tests time the step by `days` alone.
  delete planStep.slaHours;
  const approval = steps.find((step) => step.kind === 'plan-approval')!;
  approval.due = { from: 'opened', days: 300 };
  approval.reminders = { daysBefore: [], onDueDay: false };
  approval.escalation = null;
  return draft;
}

function ctx(tenantId: string, role: Role, now: string, extra: Partial<DomainContext> = {}): DomainContext {
  return {
    now,
    tenantId,
    actor: { id: `u-${role}`, role },
    relation: 'none',
    newId: () => randomUUID(),
    ...extra,
  };
}

function toNew(
  tenantId: string,
  events: { type: string; data: unknown; eventId?: string }[],
  role: string,
): NewEvent[] {
  return events.map((event) => ({
    eventId: event.eventId ?? randomUUID(),
    type: event.type,
    data: event.data,
    metadata: {
      tenantId,
      actor: { id: `u-${role}`, role },
      correlationId: randomUUID(),
      causationId: null,
      schemaVersion: isEventType(event.type) ? eventSchemas[event.type].version : 1,
    },
  }));
}

/** Publishes the next version of a workflow (v1 on a new stream) and returns it pinned. */
export async function publishWorkflow(
  store: EventStore,
  tenantId: string,
  workflowId: string,
  definition: unknown,
) {
  const streamId = streamName(AGGREGATES.workflow, tenantId, workflowId);
  const recorded = await store.readStream(streamId).catch(() => [] as RecordedEvent[]);
  const state = fold(workflowDecider, recorded);
  const events = decideWorkflow(
    { type: 'PublishWorkflowVersion', data: { workflowId, definition } },
    state,
    ctx(tenantId, 'process-owner', new Date().toISOString()),
  );
  await store.append(streamId, toNew(tenantId, events, 'process-owner'), {
    expectedRevision: recorded.length ? recorded[recorded.length - 1].streamRevision : 'no_stream',
  });
  return pinWorkflowVersion(fold(workflowDecider, events, state), recorded.length + 1);
}

/** Decides `command` on the appraisal's recorded state and appends what it decided. */
async function decideOnAppraisal(
  store: EventStore,
  tenantId: string,
  appraisalId: string,
  command: Parameters<typeof decideAppraisal>[0],
  context: Parameters<typeof decideAppraisal>[2],
) {
  const streamId = streamName(AGGREGATES.appraisal, tenantId, appraisalId);
  const recorded = await store.readStream(streamId);
  const state = fold(appraisalDecider, recorded);
  const events = decideAppraisal(command, state, context);
  await store.append(streamId, toNew(tenantId, events, context.actor.role), {
    expectedRevision: recorded[recorded.length - 1].streamRevision,
  });
}

/** HR moves an appraisal to a newer version of its workflow. */
export async function migrateAppraisal(
  store: EventStore,
  tenantId: string,
  appraisalId: string,
  from: ReturnType<typeof pinWorkflowVersion>,
  to: ReturnType<typeof pinWorkflowVersion>,
  now: string,
) {
  await decideOnAppraisal(
    store,
    tenantId,
    appraisalId,
    { type: 'MigrateWorkflowVersion', data: { appraisalId, toVersion: to.version } },
    { ...ctx(tenantId, 'hr', now), workflow: from, migrationTarget: to },
  );
}

/** Opens an appraisal as of `now` (its plan step opens then, with due times from the workflow). */
export function openAppraisalEvents(
  tenantId: string,
  appraisalId: string,
  workflow: ReturnType<typeof pinWorkflowVersion>,
  now: string,
  employeeId = 'ann',
): AppraisalEvent[] {
  const calendar = cycleCalendar(workflow.definition.cadence, 2026);
  return decideAppraisal(
    {
      type: 'OpenAppraisal',
      data: {
        appraisalId,
        cycleId: 'c2026',
        subject: { kind: 'employee', employeeId, orgUnitId: 'east' },
        workflowId: workflow.workflowId,
        workflowVersion: workflow.version,
        cycleStartsAt: calendar.startsAt,
        cycleEndsAt: calendar.endsAt,
        periods: calendar.periods,
      },
    },
    initialAppraisalState(),
    { ...ctx(tenantId, 'system', now), workflow },
  );
}

export async function openAppraisal(
  store: EventStore,
  tenantId: string,
  appraisalId: string,
  workflow: ReturnType<typeof pinWorkflowVersion>,
  now: string,
  employeeId = 'ann',
) {
  const events = openAppraisalEvents(tenantId, appraisalId, workflow, now, employeeId);
  await store.append(
    streamName(AGGREGATES.appraisal, tenantId, appraisalId),
    toNew(tenantId, events, 'system'),
    {
      expectedRevision: 'no_stream',
    },
  );
  return events;
}

/**
 * A command on an appraisal taken by the person whose step it is, as a fixture
 * `(store, tenantId, appraisalId, workflow, now)` that decides it and appends what it decided.
 */
function byPerson(
  person: { role: Role; relation: DomainContext['relation']; employeeId: string },
  command: (appraisalId: string) => Parameters<typeof decideAppraisal>[0],
) {
  return (
    store: EventStore,
    tenantId: string,
    appraisalId: string,
    workflow: ReturnType<typeof pinWorkflowVersion>,
    now: string,
  ) =>
    decideOnAppraisal(store, tenantId, appraisalId, command(appraisalId), {
      ...ctx(tenantId, person.role, now, {
        relation: person.relation,
        actor: { id: `u-${person.employeeId}`, role: person.role, employeeId: person.employeeId },
      }),
      workflow,
    });
}

/** The employee submits the plan (completing the `plan` step). */
export const submitPlan = byPerson(
  { role: 'employee', relation: 'self', employeeId: 'ann' },
  (appraisalId) => ({
    type: 'SubmitPlan',
    data: {
      appraisalId,
      targets: [{ indicatorId: 'sales_volume', threshold: 800, target: 1000, stretch: 1200 }],
      actions: [
        {
          indicatorId: 'product_mix',
          ownerEmployeeId: 'ann',
          dueDate: '2026-03-31',
          goal: 'Mix campaign',
          measures: 'Weekly',
        },
      ],
    },
  }),
);

/** The manager returns the submitted plan: `plan-approval` completes and `plan` opens again (occurrence 2). */
export const returnPlan = byPerson(
  { role: 'manager', relation: 'manager', employeeId: 'mia' },
  (appraisalId) => ({
    type: 'ReturnPlan',
    data: { appraisalId, annotations: [{ text: 'Aim higher' }] },
  }),
);

/** Runs directory commands as HR (the tenant is created first when `create`). */
export async function directory(
  store: EventStore,
  tenantId: string,
  commands: DirectoryCommand[],
  create = false,
) {
  const streamId = streamName(AGGREGATES.directory, tenantId, tenantId);
  const now = new Date().toISOString();
  let recorded: RecordedEvent[] = [];
  if (!create) recorded = await store.readStream(streamId);
  let state = fold(directoryDecider, recorded);
  const created = create
    ? decideDirectoryBatch(
        [{ type: 'CreateTenant', data: { name: tenantId } }],
        state,
        ctx(tenantId, 'admin', now),
      )
    : [];
  state = created.reduce(evolveDirectory, state);
  const events = [...created, ...decideDirectoryBatch(commands, state, ctx(tenantId, 'hr', now))];
  await store.append(streamId, toNew(tenantId, events, 'hr'), {
    expectedRevision: recorded.length ? recorded[recorded.length - 1].streamRevision : 'no_stream',
  });
}

/**
 * A new tenant's directory: the unit East and these people hired into it on 2026-01-01, as
 * `[employeeId, managerId, name]`, each with an e-mail address `<employeeId>@example.test`.
 */
export function eastDirectory(
  store: EventStore,
  tenantId: string,
  people: [employeeId: string, managerId: string | null, name: string][],
) {
  const effectiveFrom = '2026-01-01';
  return directory(
    store,
    tenantId,
    [
      {
        type: 'CreateOrgUnit',
        data: { orgUnitId: 'east', parentId: null, kind: 'branch', name: 'East', effectiveFrom },
      },
      ...people.map(([employeeId, managerId, name]): DirectoryCommand => ({
        type: 'HireEmployee',
        data: {
          employeeId,
          orgUnitId: 'east',
          managerId,
          position: null,
          name,
          email: `${employeeId}@example.test`,
          effectiveFrom,
        },
      })),
    ],
    true,
  );
}

/**
 * East headed by bo, with mia and max reporting to him and ann to mia; ann's appraisal `ap-1` opened
 * and her plan submitted at `now`, so its approval is open and waits on her manager.
 */
export async function planAwaitingApproval(store: EventStore, tenantId: string, now: string) {
  const workflow = await publishWorkflow(store, tenantId, 'sales', workflowWithPlan({ days: 14 }));
  await eastDirectory(store, tenantId, [
    ['bo', null, 'Bo Li'],
    ['mia', 'bo', 'Mia Wang'],
    ['max', 'bo', 'Max Zhou'],
    ['ann', 'mia', 'Ann Liu'],
  ]);
  await openAppraisal(store, tenantId, 'ap-1', workflow, now);
  await submitPlan(store, tenantId, 'ap-1', workflow, now);
}

/** HR gives ann another manager from `effectiveFrom`. */
export const moveAnnTo = (store: EventStore, tenantId: string, managerId: string, effectiveFrom: string) =>
  directory(store, tenantId, [
    { type: 'AssignManager', data: { employeeId: 'ann', managerId, effectiveFrom } },
  ]);

export const TIMER_OUTCOMES = ['ReminderSent', 'StepEscalated', 'DeadlineMissed'];

/**
 * The events of these types recorded for a tenant, in log order, up to the head as it is now. The
 * log is read below the server's oldest running transaction (another test run's, on a shared
 * server): until that ends the last events are not handed out, so the read waits for the head
 * rather than return a log cut short.
 */
export async function tenantEvents(
  store: EventStore,
  tenantId: string,
  types: readonly string[],
): Promise<RecordedEvent[]> {
  const head = await store.headPosition();
  const found: RecordedEvent[] = [];
  for (let after = START; comparePositions(after, head) < 0;) {
    const { events, next } = await store.readAll({ after, maxCount: 5_000 });
    if (events.length === 0) await sleep(20);
    for (const event of events)
      if (event.metadata.tenantId === tenantId && types.includes(event.type)) found.push(event);
    after = next;
  }
  return found;
}

/** The timer outcomes recorded for a tenant, in log order. */
export const timerOutcomes = (store: EventStore, tenantId: string) =>
  tenantEvents(store, tenantId, TIMER_OUTCOMES);

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
