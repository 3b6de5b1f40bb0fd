import { z } from 'zod';
import { Id } from '../shared/primitives';
import type { CommandsOf } from '../shared/messages';
import { Subject } from './cycle.events';

export const cycleCommandSchemas = {
  /** The API resolves the scope (e.g. `employeesInScope`) and the pinned workflow version (in the context). */
  OpenCycle: z.object({
    cycleId: Id,
    name: z.string().min(1).max(200),
    year: z.number().int().min(2000).max(2100),
    /** For half-year cycles: which half (1 or 2). */
    half: z.union([z.literal(1), z.literal(2)]).optional(),
    workflowId: Id,
    workflowVersion: z.number().int().positive(),
    subjects: z.array(Subject).min(1).max(10000),
  }),
  CloseCycle: z.object({ cycleId: Id }),
} as const;

export type CycleCommand = CommandsOf<typeof cycleCommandSchemas>;
export type CycleCommandType = CycleCommand['type'];
