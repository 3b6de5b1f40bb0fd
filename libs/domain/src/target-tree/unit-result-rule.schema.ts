import { z } from 'zod';
import { Slug } from '../shared/primitives';

/**
 * How a unit's result feeds its head's appraisal (组织绩效 → 负责人): the roll-up of the unit's
 * target of `targetIndicatorId` for a period becomes the head's actual of `headIndicatorId` for
 * that period, imported from the target tree.
 */
export const UnitResultRule = z.object({ targetIndicatorId: Slug, headIndicatorId: Slug });
export type UnitResultRule = z.infer<typeof UnitResultRule>;
