import { z } from 'zod';
import { Id, Measure, Slug } from '../shared/primitives';
import type { CommandsOf } from '../shared/messages';
import { ROLL_UPS, TARGET_LEVELS } from './target-tree.events';

export const targetTreeCommandSchemas = {
  /** Sets one node of a cycle's target tree; every link is checked against its parent. */
  SetTarget: z.object({
    cycleId: Id,
    targetId: Id,
    parentId: Id.nullable().default(null),
    level: z.enum(TARGET_LEVELS),
    ownerId: Id,
    indicatorId: Slug,
    unit: z.string().trim().min(1).max(40),
    rollUp: z.enum(ROLL_UPS).default('sum'),
    amount: Measure,
  }),
} as const;

export type TargetTreeCommand = CommandsOf<typeof targetTreeCommandSchemas>;
