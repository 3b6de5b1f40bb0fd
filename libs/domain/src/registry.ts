import type { EventSchemaEntry } from './shared/messages';
import { directoryEventSchemas } from './directory/directory.events';
import { directoryCommandSchemas } from './directory/directory.commands';
import { workflowEventSchemas } from './workflow/workflow.events';
import { workflowCommandSchemas } from './workflow/workflow.commands';
import { cycleEventSchemas } from './cycle/cycle.events';
import { cycleCommandSchemas } from './cycle/cycle.commands';
import { appraisalEventSchemas } from './appraisal/appraisal.events';
import { appraisalCommandSchemas } from './appraisal/appraisal.commands';
import { auditEventSchemas } from './audit/audit.events';
import { operationsEventSchemas } from './operations/operations.events';
import { targetTreeEventSchemas } from './target-tree/target-tree.events';
import { targetTreeCommandSchemas } from './target-tree/target-tree.commands';
import { weeklyPlanEventSchemas } from './weekly-plan/weekly-plan.events';
import { weeklyPlanCommandSchemas } from './weekly-plan/weekly-plan.commands';
import { dailyPlanEventSchemas, type DailyPlanEvent } from './daily-plan/daily-plan.events';
import { dailyPlanCommandSchemas, type DailyPlanCommand } from './daily-plan/daily-plan.commands';
import { z as zod } from 'zod';
import { ValidationError } from './shared/errors';
import { pathString } from './workflow/workflow-definition.validate';
import type { DirectoryEvent } from './directory/directory.events';
import type { DirectoryCommand } from './directory/directory.commands';
import type { WorkflowEvent } from './workflow/workflow.events';
import type { WorkflowCommand } from './workflow/workflow.commands';
import type { CycleEvent } from './cycle/cycle.events';
import type { CycleCommand } from './cycle/cycle.commands';
import type { AppraisalEvent } from './appraisal/appraisal.events';
import type { AppraisalCommand } from './appraisal/appraisal.commands';
import type { AuditEvent } from './audit/audit.events';
import type { OperationsEvent } from './operations/operations.events';
import type { TargetTreeEvent } from './target-tree/target-tree.events';
import type { TargetTreeCommand } from './target-tree/target-tree.commands';
import type { WeeklyPlanEvent } from './weekly-plan/weekly-plan.events';
import type { WeeklyPlanCommand } from './weekly-plan/weekly-plan.commands';

/** Every aggregate's stream category (for `streamName(category, tenantId, id)`). */
export const AGGREGATES = {
  directory: 'directory',
  workflow: 'workflow',
  scorecardTemplate: 'scorecard-template',
  cycle: 'cycle',
  appraisal: 'appraisal',
  /** A cycle's target tree (id: the cycle id). */
  targetTree: 'target-tree',
  /** One person's plan for one ISO week (id: `<employeeId>.<week>`). */
  weeklyPlan: 'weekly-plan',
  /** One person's plan for one day (id: `<employeeId>.<date>`, ADR 0154). */
  dailyPlan: 'daily-plan',
  /** The audit log's signed checkpoints, one stream per tenant (id `checkpoints`). */
  auditLog: 'audit',
  /** Operators' actions on the consumers (no commands: recorded by the operator tool). */
  operations: 'operations',
} as const;

/** All event types with their current data-schema version: validation, OpenAPI and the event catalogue. */
export const eventSchemas = {
  ...directoryEventSchemas,
  ...workflowEventSchemas,
  ...cycleEventSchemas,
  ...appraisalEventSchemas,
  ...targetTreeEventSchemas,
  ...weeklyPlanEventSchemas,
  ...dailyPlanEventSchemas,
  ...auditEventSchemas,
  ...operationsEventSchemas,
} as const satisfies Record<string, EventSchemaEntry>;
export type EventType = keyof typeof eventSchemas;

/** All command payload schemas, keyed by command type. */
export const commandSchemas = {
  ...directoryCommandSchemas,
  ...workflowCommandSchemas,
  ...cycleCommandSchemas,
  ...appraisalCommandSchemas,
  ...targetTreeCommandSchemas,
  ...weeklyPlanCommandSchemas,
  ...dailyPlanCommandSchemas,
} as const satisfies Record<string, zod.ZodType>;
export type CommandType = keyof typeof commandSchemas;

/** Which aggregate handles which command / records which event. */
export const commandAggregate: Record<CommandType, keyof typeof AGGREGATES> = {
  ...mapKeys(directoryCommandSchemas, 'directory'),
  ...mapKeys(workflowCommandSchemas, 'workflow'),
  PublishScorecardTemplateVersion: 'scorecardTemplate',
  ...mapKeys(cycleCommandSchemas, 'cycle'),
  ...mapKeys(appraisalCommandSchemas, 'appraisal'),
  ...mapKeys(targetTreeCommandSchemas, 'targetTree'),
  ...mapKeys(weeklyPlanCommandSchemas, 'weeklyPlan'),
  ...mapKeys(dailyPlanCommandSchemas, 'dailyPlan'),
} as Record<CommandType, keyof typeof AGGREGATES>;

function mapKeys<K extends string, V>(record: Record<K, unknown>, value: V): Record<K, V> {
  return Object.fromEntries(Object.keys(record).map((key) => [key, value])) as Record<K, V>;
}

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(eventSchemas, type);
}
/** The version of an event type's data schema, recorded in each event's metadata (1 for a type not registered). */
export function schemaVersionOf(type: string): number {
  return isEventType(type) ? eventSchemas[type].version : 1;
}
export function isCommandType(type: string): type is CommandType {
  return Object.prototype.hasOwnProperty.call(commandSchemas, type);
}

export type DomainEvent =
  | DirectoryEvent
  | WorkflowEvent
  | CycleEvent
  | AppraisalEvent
  | TargetTreeEvent
  | WeeklyPlanEvent
  | DailyPlanEvent
  | AuditEvent
  | OperationsEvent;
export type DomainCommand =
  | DirectoryCommand
  | WorkflowCommand
  | CycleCommand
  | AppraisalCommand
  | TargetTreeCommand
  | WeeklyPlanCommand
  | DailyPlanCommand;

/** Which aggregate records which event type. */
export const eventAggregate: Record<EventType, keyof typeof AGGREGATES> = {
  ...mapKeys(directoryEventSchemas, 'directory'),
  ...mapKeys(workflowEventSchemas, 'workflow'),
  ScorecardTemplateVersionPublished: 'scorecardTemplate',
  ...mapKeys(cycleEventSchemas, 'cycle'),
  ...mapKeys(appraisalEventSchemas, 'appraisal'),
  ...mapKeys(targetTreeEventSchemas, 'targetTree'),
  ...mapKeys(weeklyPlanEventSchemas, 'weeklyPlan'),
  ...mapKeys(dailyPlanEventSchemas, 'dailyPlan'),
  ...mapKeys(auditEventSchemas, 'auditLog'),
  ...mapKeys(operationsEventSchemas, 'operations'),
} as Record<EventType, keyof typeof AGGREGATES>;

function validationIssues(error: zod.ZodError) {
  return error.issues.map((issue) => ({
    path: pathString(issue.path),
    rule: issue.code,
    message: issue.message,
  }));
}

/** Validates a command body against its schema: the typed command, or a ValidationError naming each field. */
export function parseCommand(type: string, data: unknown): DomainCommand {
  if (!isCommandType(type))
    throw new ValidationError('command-unknown', `unknown command type "${type}"`, [
      { path: 'type', rule: 'command-unknown', message: `"${type}" is not a command` },
    ]);
  const result = commandSchemas[type].safeParse(data);
  if (!result.success)
    throw new ValidationError('invalid-command', `invalid ${type}`, validationIssues(result.error));
  return { type, data: result.data } as DomainCommand;
}

/** Validates stored or received event data against its registered schema (the read path). */
export function parseEvent(type: string, data: unknown, eventId?: string): DomainEvent {
  if (!isEventType(type))
    throw new ValidationError('event-unknown', `unknown event type "${type}"`, [
      { path: 'type', rule: 'event-unknown', message: `"${type}" is not an event` },
    ]);
  const result = eventSchemas[type].schema.safeParse(data);
  if (!result.success)
    throw new ValidationError('invalid-event', `invalid ${type}`, validationIssues(result.error));
  return { type, data: result.data, ...(eventId ? { eventId } : {}) } as DomainEvent;
}

/** The typed event catalogue for integrators: one JSON Schema per event type and version. */
export function eventCatalogue(): { type: EventType; version: number; aggregate: string; schema: unknown }[] {
  return (Object.keys(eventSchemas) as EventType[]).map((type) => ({
    type,
    version: eventSchemas[type].version,
    aggregate: AGGREGATES[eventAggregate[type]],
    schema: zod.toJSONSchema(eventSchemas[type].schema, { unrepresentable: 'any' }),
  }));
}
