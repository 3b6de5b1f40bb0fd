import { z } from 'zod';
import { Id, Instant } from '../shared/primitives';
import type { EventsOf } from '../shared/messages';
import { ScorecardTemplate, WorkflowDefinition } from './workflow-definition.schema';

export const workflowEventSchemas = {
  /** A version is immutable once published; `version` counts from 1 per workflow. */
  WorkflowVersionPublished: {
    version: 1,
    schema: z.object({
      workflowId: Id,
      version: z.number().int().positive(),
      definition: WorkflowDefinition,
      at: Instant,
    }),
  },
  WorkflowRetired: {
    version: 1,
    schema: z.object({
      workflowId: Id,
      lastVersion: z.number().int().nonnegative(),
      at: Instant,
      pii: z.object({ reason: z.string().max(4000).optional() }),
    }),
  },
  ScorecardTemplateVersionPublished: {
    version: 1,
    schema: z.object({
      templateId: Id,
      version: z.number().int().positive(),
      template: ScorecardTemplate,
      at: Instant,
    }),
  },
} as const;

export type WorkflowEvent = EventsOf<typeof workflowEventSchemas>;
export type WorkflowEventType = WorkflowEvent['type'];
