import { z } from 'zod';
import { Id } from '../shared/primitives';
import { base } from './events/shapes';
import type { EventsOf } from '../shared/messages';
import { appraisalStepEventSchemas } from './events/steps.events';
import { planAndPeriodEventSchemas } from './events/plan-and-periods.events';
import { redLineEventSchemas } from './events/red-lines.events';
import { ratingEventSchemas } from './events/ratings.events';
import { yearEndEventSchemas } from './events/year-end.events';
import { actualsEventSchemas } from './events/actuals.events';
import { timerEventSchemas } from './events/timers.events';
import { membershipEventSchemas } from './events/membership.events';

export { Annotation, Target, KeyAction, StepAssignee, RuleVersion, IndicatorScore } from './events/shapes';

/**
 * The appraisal's events, one file per command family under `events/`. The order of the spreads is
 * the catalogue's order (docs/events.md), so a new family goes where its events belong.
 */
export const appraisalEventSchemas = {
  ...appraisalStepEventSchemas,
  ...planAndPeriodEventSchemas,
  ...redLineEventSchemas,
  ...ratingEventSchemas,
  ...yearEndEventSchemas,
  ...actualsEventSchemas,
  ...timerEventSchemas,
  ...membershipEventSchemas,
  AppraisalMigrated: {
    version: 1,
    schema: z.object({
      ...base,
      workflowId: Id,
      fromVersion: z.number().int().positive(),
      toVersion: z.number().int().positive(),
      pii: z.object({ reason: z.string().max(4000).optional() }),
    }),
  },
} as const;

export type AppraisalEvent = EventsOf<typeof appraisalEventSchemas>;
export type AppraisalEventType = AppraisalEvent['type'];
export type AppraisalEventOf<T extends AppraisalEventType> = Extract<AppraisalEvent, { type: T }>;
