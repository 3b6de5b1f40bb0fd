import { z } from 'zod';
import { Id } from '../shared/primitives';
import type { CommandsOf } from '../shared/messages';

export const workflowCommandSchemas = {
  /** `definition` is checked by `parseWorkflowDefinition` inside decide, so every issue is reported at once. */
  PublishWorkflowVersion: z.object({
    workflowId: Id,
    definition: z.unknown(),
    /** Optimistic check: the latest version the author based this one on (0 for the first). */
    expectedVersion: z.number().int().nonnegative().optional(),
  }),
  RetireWorkflow: z.object({ workflowId: Id, reason: z.string().max(4000).optional() }),
  PublishScorecardTemplateVersion: z.object({
    templateId: Id,
    template: z.unknown(),
    expectedVersion: z.number().int().nonnegative().optional(),
  }),
} as const;

export type WorkflowCommand = CommandsOf<typeof workflowCommandSchemas>;
export type WorkflowCommandType = WorkflowCommand['type'];
