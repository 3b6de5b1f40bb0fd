import type { Subject, Period } from '../cycle/cycle.events';
import type { RaterGroup, StepKind } from '../workflow/workflow-definition.schema';
import type { AppraisalEventOf } from './appraisal.events';

type Target = AppraisalEventOf<'PlanSubmitted'>['data']['targets'][number];
type KeyAction = AppraisalEventOf<'PlanSubmitted'>['data']['actions'][number];
type Assignee = AppraisalEventOf<'StepOpened'>['data']['assignee'];

export interface StepState {
  stepKey: string;
  kind: StepKind;
  instance: string | null;
  occurrence: number;
  assignee: Assignee;
  openedAt: string;
  dueAt: string | null;
  workflowVersion: number;
  open: boolean;
}

export interface PeriodState extends Period {
  status: 'pending' | 'filed' | 'returned' | 'assessed' | 'scored' | 'waived';
  actuals: Record<string, string>;
  /** Actuals other systems filed, by indicator: they count over what the person files (absent: none). */
  imported?: Record<string, ImportedActual>;
  result: { score: string; grade: string; bonusCoefficient: string; vetoed: boolean } | null;
}

export interface ImportedActual {
  actual: string;
  system: string;
  reference?: string;
  dispute: 'none' | 'open' | 'kept' | 'corrected';
}

export interface Plan {
  status: 'draft' | 'submitted' | 'returned' | 'approved';
  version: number;
  targets: Target[];
  actions: KeyAction[];
  pendingChange: { changeId: string; targets: Target[]; actions: KeyAction[] } | null;
}

export interface Nomination {
  group: 'peer';
  employeeId: string;
  status: 'proposed' | 'approved' | 'rejected';
}

export interface Result {
  score: string;
  grade: string;
  bonusCoefficient: string;
}

export type AppraisalStatus =
  | 'planning'
  | 'in-progress'
  | 'scored'
  | 'finalized'
  | 'appealed'
  | 'closed'
  /** The person left and the workflow's membership rule withdrew the appraisal (ADR 0146). */
  | 'withdrawn';

export interface OpenedAppraisal {
  status: AppraisalStatus;
  id: string;
  cycleId: string;
  subject: Subject;
  workflowId: string;
  /** The pinned version; changes only through `AppraisalMigrated`. */
  workflowVersion: number;
  cycleStartsAt: string;
  cycleEndsAt: string;
  plan: Plan;
  periods: Record<string, PeriodState>;
  periodOrder: string[];
  improvements: Record<
    string,
    { periodId: string; indicatorId: string; status: 'required' | 'filed' | 'verified' }
  >;
  /** Keyed `<periodId>/<indicatorId>`. */
  vetoes: Record<string, 'breached' | 'waived'>;
  redLines: Record<
    string,
    {
      redLineId: string;
      status: 'breached' | 'contested' | 'upheld' | 'withdrawn';
      effect: AppraisalEventOf<'RedLineBreached'>['data']['effect'];
    }
  >;
  selfRating: string | null;
  ratings: { raterId: string; group: RaterGroup; rating: string }[];
  /** Raters nominated for the 360, by nomination id (absent in states folded before nominations). */
  nominations?: Record<string, Nomination>;
  result: Result | null;
  /** A red line changed, or a month was rescored, after scoring: score again before finalizing. */
  scoreStale: boolean;
  appealId: string | null;
  steps: Record<string, StepState>;
  firedTimers: string[];
  /** Why and from when the appraisal is withdrawn (status `withdrawn`; absent otherwise). */
  withdrawal?: { cause: 'employee-left'; effectiveFrom: string };
}

/** The appraisal aggregate (stream `appraisal-<tenant>.<appraisalId>`), a union on `status`. */
export type Appraisal = { status: 'empty' } | OpenedAppraisal;

export const initialAppraisalState = (): Appraisal => ({ status: 'empty' });

export const vetoKey = (periodId: string, indicatorId: string) => `${periodId}/${indicatorId}`;
