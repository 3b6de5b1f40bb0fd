import { z } from 'zod';
import {
  WeekViewResponse,
  WeeklyPlanItemResponse,
} from '../../weekly-plans/read-weekly-plans/weekly-plans.response';

/** A day's item: a week's item, and the item of that week's plan it works on (null: none named). */
const DailyPlanItemResponse = WeeklyPlanItemResponse.extend({ weekItemId: z.string().nullable() });

/** GET /daily-plans: the seven days of an ISO week, each read as a week is (no days of its own), by its date. */
export const DailyPlansResponse = z.strictObject({
  employeeId: z.string(),
  week: z.string(),
  days: z.array(
    WeekViewResponse.omit({ week: true, days: true, items: true }).extend({
      date: z.string(),
      items: z.array(DailyPlanItemResponse),
    }),
  ),
});
