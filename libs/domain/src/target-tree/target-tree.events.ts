import { z } from 'zod';
import { DecimalString, Id, Instant, Slug } from '../shared/primitives';
import type { EventsOf } from '../shared/messages';

/** Company targets of a cycle split into org-unit targets, then personal ones (组织绩效 → 员工绩效). */
export const TARGET_LEVELS = ['company', 'org-unit', 'person'] as const;
/**
 * How a target's result comes from its children's: `sum` for additive indicators (units, money;
 * the children's amounts may not exceed the parent's), otherwise a declared rule.
 */
export const ROLL_UPS = ['sum', 'average', 'min', 'max'] as const;

export const targetTreeEventSchemas = {
  /** A node of the cycle's target tree, checked against its parent (level, indicator, unit, amounts). */
  TargetSet: {
    version: 1,
    schema: z.object({
      cycleId: Id,
      targetId: Id,
      /** null only for a company target. */
      parentId: Id.nullable(),
      level: z.enum(TARGET_LEVELS),
      /** The org unit (org-unit level) or employee (person level); the tenant for the company. */
      ownerId: Id,
      indicatorId: Slug,
      unit: z.string(),
      rollUp: z.enum(ROLL_UPS),
      amount: DecimalString,
      at: Instant,
    }),
  },
} as const;

export type TargetTreeEvent = EventsOf<typeof targetTreeEventSchemas>;
