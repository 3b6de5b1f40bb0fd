import type { z } from 'zod';
import type { EventSchemaEntry } from './shared/messages';
import { directoryEventSchemas } from './directory/directory.events';
import { directoryCommandSchemas } from './directory/directory.commands';
import { workflowEventSchemas } from './workflow/workflow.events';
import { workflowCommandSchemas } from './workflow/workflow.commands';
import { cycleEventSchemas } from './cycle/cycle.events';
import { cycleCommandSchemas } from './cycle/cycle.commands';
import { appraisalEventSchemas } from './appraisal/appraisal.events';
import { appraisalCommandSchemas } from './appraisal/appraisal.commands';

/** Every aggregate's stream category (for `streamName(category, tenantId, id)`). */
export const AGGREGATES = {
  directory: 'directory',
  workflow: 'workflow',
  scorecardTemplate: 'scorecard-template',
  cycle: 'cycle',
  appraisal: 'appraisal',
} as const;

/** All event types with their current data-schema version: validation, OpenAPI and the event catalogue. */
export const eventSchemas = {
  ...directoryEventSchemas,
  ...workflowEventSchemas,
  ...cycleEventSchemas,
  ...appraisalEventSchemas,
} as const satisfies Record<string, EventSchemaEntry>;
export type EventType = keyof typeof eventSchemas;

/** All command payload schemas, keyed by command type. */
export const commandSchemas = {
  ...directoryCommandSchemas,
  ...workflowCommandSchemas,
  ...cycleCommandSchemas,
  ...appraisalCommandSchemas,
} as const satisfies Record<string, z.ZodType>;
export type CommandType = keyof typeof commandSchemas;

/** Which aggregate handles which command / records which event. */
export const commandAggregate: Record<CommandType, keyof typeof AGGREGATES> = {
  ...mapKeys(directoryCommandSchemas, 'directory'),
  ...mapKeys(workflowCommandSchemas, 'workflow'),
  PublishScorecardTemplateVersion: 'scorecardTemplate',
  ...mapKeys(cycleCommandSchemas, 'cycle'),
  ...mapKeys(appraisalCommandSchemas, 'appraisal'),
} as Record<CommandType, keyof typeof AGGREGATES>;

function mapKeys<K extends string, V>(record: Record<K, unknown>, value: V): Record<K, V> {
  return Object.fromEntries(Object.keys(record).map((key) => [key, value])) as Record<K, V>;
}

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(eventSchemas, type);
}
export function isCommandType(type: string): type is CommandType {
  return Object.prototype.hasOwnProperty.call(commandSchemas, type);
}
