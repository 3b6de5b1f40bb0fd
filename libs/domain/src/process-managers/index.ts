import { annualScoring } from './annual-scoring.process-manager';
import { behaviourRescoring } from './behaviour-rescoring.process-manager';
import { behaviourWeeklySteps } from './behaviour-weekly-steps.process-manager';
import { behaviourDailySteps } from './behaviour-daily-steps.process-manager';
import { behaviourWeeklyStepsCatchUp } from './behaviour-weekly-steps-catch-up.process-manager';
import { cycleOpening } from './cycle-opening.process-manager';
import { cycleMembership } from './cycle-membership.process-manager';
import { periodScoring } from './period-scoring.process-manager';
import type { ProcessManager } from './process-manager';

export * from './process-manager';
export {
  annualScoring,
  behaviourDailySteps,
  behaviourRescoring,
  behaviourWeeklySteps,
  behaviourWeeklyStepsCatchUp,
  cycleMembership,
  cycleOpening,
  periodScoring,
};

/** Every process manager the worker runs (the weekly steps' catch-up runs once, by hand: ADR 0153). */
export const PROCESS_MANAGERS: readonly ProcessManager[] = [
  cycleOpening,
  periodScoring,
  annualScoring,
  behaviourRescoring,
  behaviourWeeklySteps,
  behaviourDailySteps,
  cycleMembership,
] as ProcessManager[];
