/**
 * One appraisal's story, told through the API by its people: the plan, the months reviewed,
 * assessed and scored, improvements, and the extras the tour shows (docs/adr/0060-demo-tenant.md).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ANNOTATIONS,
  CAST,
  GAP_REASONS,
  IMPROVEMENT_ACTIONS,
  KEY_ACTION_TEXTS,
  actualsOf,
  chance,
  type KeyActionIndicator,
  type Person,
} from './data';
import { PROCESS_MANAGER_WAIT_MS, SeedError, type Company, type DemoApi } from './demo-api';

/** The parts of GET /appraisals/:id's state the seed reads. */
interface AppraisalState {
  periods: Record<string, { status: string }>;
  improvements: Record<string, { periodId: string; indicatorId: string; status: string }>;
  plan: {
    pendingChange: { changeId: string } | null;
    targets: { periodId?: string }[];
    actions: {
      actionId: string;
      indicatorId: KeyActionIndicator;
      ownerEmployeeId: string;
      dueDate: string;
    }[];
  };
  redLines: Record<string, unknown>;
  status: string;
  nominations?: Record<string, { employeeId: string; status: string }>;
  scoreStale: boolean;
}

/** One appraisal's plan and months, as its people would have done them. */
export class AppraisalStory {
  private readonly person: Person;
  private readonly path: string;

  constructor(
    private readonly api: DemoApi,
    private readonly company: Company,
    private readonly appraisalId: string,
    private readonly employeeId: string,
  ) {
    this.person = company.byId.get(employeeId)!;
    this.path = `/appraisals/${appraisalId}`;
  }

  private key(step: string) {
    return `${this.employeeId}/${step}`;
  }
  private self() {
    return this.api.as(this.employeeId, this.company.byId, this.company.managers);
  }
  private manager() {
    return this.api.as(this.person.managerId!, this.company.byId, this.company.managers);
  }
  private hr() {
    return this.api.token('hr', CAST.hr);
  }
  private async post(token: Promise<string>, command: string, body: object, step: string) {
    return this.api.post(`${this.path}/${command}`, await token, body, this.key(step));
  }
  private async state(): Promise<AppraisalState> {
    return (await this.api.get(this.path, await this.hr())).body.state;
  }
  private chance(what: string) {
    return chance(`${this.employeeId}/${what}`);
  }

  async tell(): Promise<void> {
    const { calendar } = this.company;
    const planned = await this.plan();
    if (!planned) return;
    const months = CAST.late.includes(this.employeeId as never)
      ? calendar.history.slice(0, -1)
      : calendar.history;
    let previous: string | null = null;
    for (const periodId of months) {
      await this.review(periodId, previous, true);
      previous = periodId;
      if (this.employeeId === CAST.planChange && periodId === calendar.history[0]) await this.planChange();
    }
    if (!CAST.late.includes(this.employeeId as never)) await this.currentReview(previous);
    await this.extras();
    if (this.employeeId === CAST.yearScored) await this.scoredThenStale();
  }

  /** Submitted, sometimes returned with annotations and resubmitted, approved; false when still open. */
  private async plan(): Promise<boolean> {
    const { calendar } = this.company;
    const lastMonth = calendar.periods[calendar.periods.length - 1];
    const dueDate = `${lastMonth}-28`;
    const actions = [
      {
        indicatorId: 'product_mix',
        ownerEmployeeId: this.employeeId,
        dueDate,
        ...KEY_ACTION_TEXTS.product_mix,
      },
    ];
    const targets = this.person.orgUnitId.endsWith('-west-b')
      ? [{ indicatorId: 'sales_volume', threshold: 700, target: 900, stretch: 1100 }] // a new territory
      : [];
    const returned =
      this.employeeId === CAST.employee ||
      this.employeeId === CAST.planReturned ||
      this.chance('plan-returned') < 0.2;
    await this.post(this.self(), 'submit-plan', { targets, actions }, 'submit-plan/1');
    if (this.employeeId === CAST.planAwaitingApproval) return false;
    if (returned) {
      await this.post(
        this.manager(),
        'return-plan',
        { annotations: [{ path: 'actions', text: 'Add a key action for receivables, with a date' }] },
        'return-plan',
      );
      if (this.employeeId === CAST.planReturned) return false;
      const receivables = {
        indicatorId: 'receivables',
        ownerEmployeeId: this.employeeId,
        dueDate,
        ...KEY_ACTION_TEXTS.receivables,
      };
      await this.post(
        this.self(),
        'submit-plan',
        { targets, actions: [...actions, receivables] },
        'submit-plan/2',
      );
    }
    await this.post(this.manager(), 'approve-plan', {}, 'approve-plan');
    return true;
  }

  private async file(periodId: string, round: number) {
    const actuals = actualsOf(this.employeeId, periodId, this.company.calendar);
    const gap = actuals.sales_volume < 1000 || actuals.product_mix < 400;
    await this.post(
      this.self(),
      'file-period-review',
      {
        periodId,
        actuals: Object.entries(actuals).map(([indicatorId, actual]) => ({ indicatorId, actual })),
        attachments: [{ indicatorId: 'product_mix', ref: `erp/${periodId}/${this.employeeId}/mix.pdf` }],
        ...(gap
          ? { gapReasons: GAP_REASONS[Math.floor(this.chance(`${periodId}/gap`) * GAP_REASONS.length)] }
          : {}),
        ...(gap && this.chance(`${periodId}/support`) < 0.3
          ? { supportRequests: 'A demo unit of the new product line for customer visits' }
          : {}),
      },
      `file/${periodId}/${round}`,
    );
  }

  private async assess(periodId: string) {
    const actuals = actualsOf(this.employeeId, periodId, this.company.calendar);
    const corrected = this.employeeId !== CAST.employee && this.chance(`${periodId}/correct`) < 0.12;
    await this.post(
      this.manager(),
      'assess-period-review',
      {
        periodId,
        corrections: corrected
          ? [
              {
                indicatorId: 'inventory',
                actual: actuals.inventory + 20,
                reason: 'The month-end stock count found 20 more units than reported',
              },
            ]
          : [],
        ...(this.chance(`${periodId}/comment`) < 0.3 ? { comment: 'Thank you, clear review' } : {}),
      },
      `assess/${periodId}`,
    );
  }

  /** Filed (once returned and filed again, for some), assessed, scored; improvements filed and verified. */
  private async review(periodId: string, previous: string | null, withImprovements: boolean) {
    const returned =
      (this.employeeId === CAST.returnedInHistory && periodId === this.company.calendar.history[0]) ||
      this.chance(`${periodId}/returned`) < 0.05;
    await this.file(periodId, 1);
    if (returned) {
      await this.post(
        this.manager(),
        'return-period-review',
        {
          periodId,
          annotations: [{ path: 'attachments', text: 'The ERP export attached is for another month' }],
        },
        `return/${periodId}`,
      );
      await this.file(periodId, 2);
    }
    if (previous) await this.verifyImprovements(previous);
    await this.assess(periodId);
    await this.scored(periodId);
    if (!withImprovements) return;
    const state = await this.state();
    const last = periodId === this.company.calendar.history[this.company.calendar.history.length - 1];
    for (const [improvementId, improvement] of Object.entries(state.improvements)) {
      if (improvement.periodId !== periodId) continue;
      // The last month's improvements are partly still to be filed: open work in the inbox. Chen Jing
      // files the one for her vetoed product mix and still owes the one for receivables.
      const owed =
        this.employeeId === CAST.employee
          ? improvement.indicatorId === 'receivables'
          : this.chance(`${periodId}/${improvement.indicatorId}/improve`) < 0.5;
      if (last && owed) continue;
      const options = IMPROVEMENT_ACTIONS[improvement.indicatorId];
      await this.post(
        this.self(),
        'file-improvement',
        { improvementId, action: options[Math.floor(this.chance(`${periodId}/action`) * options.length)] },
        `improve/${periodId}/${improvement.indicatorId}`,
      );
    }
  }

  /** At the next review the manager verifies what was filed for the month before. */
  private async verifyImprovements(periodId: string) {
    const state = await this.state();
    for (const [improvementId, improvement] of Object.entries(state.improvements)) {
      if (improvement.periodId !== periodId || improvement.status !== 'filed') continue;
      const effective = this.chance(`${periodId}/${improvement.indicatorId}/effective`) > 0.25;
      await this.post(
        this.manager(),
        'verify-improvement',
        {
          improvementId,
          effective,
          goodPractice: effective && this.chance(`${periodId}/${improvement.indicatorId}/good`) > 0.8,
          ...(effective ? {} : { comment: 'No change yet; keep it for next month' }),
        },
        `verify/${periodId}/${improvement.indicatorId}`,
      );
    }
  }

  /** The month now due: not filed yet, filed and awaiting the manager, returned, or done. */
  private async currentReview(previous: string | null) {
    const periodId = this.company.calendar.current;
    const roll = this.chance('current');
    if (this.employeeId === CAST.returnedNow) {
      await this.file(periodId, 1);
      await this.post(
        this.manager(),
        'return-period-review',
        {
          periodId,
          annotations: [{ path: 'actuals.receivables', text: 'Receivables do not match finance' }],
        },
        `return/${periodId}`,
      );
      return;
    }
    if (this.employeeId === CAST.employee) {
      // Her month now due is left open: a newcomer signs in as her and files it, then as her team
      // lead and assesses it. Verifying last month's improvements does not wait for the filing.
      if (previous) await this.verifyImprovements(previous);
      return;
    }
    if (roll < 0.35) return;
    await this.file(periodId, 1);
    if (roll < 0.55) return;
    if (previous) await this.verifyImprovements(previous);
    await this.assess(periodId);
    await this.scored(periodId);
  }

  /** The worker's period-scoring process manager scores an assessed month: wait for it. */
  private async scored(periodId: string) {
    const deadline = Date.now() + PROCESS_MANAGER_WAIT_MS;
    while ((await this.state()).periods[periodId]?.status !== 'scored') {
      if (Date.now() > deadline)
        throw new SeedError(`${this.employeeId} ${periodId}: not scored after ${PROCESS_MANAGER_WAIT_MS} ms`);
      await sleep(10, undefined, { signal: this.api.signal });
    }
  }

  private async planChange() {
    const { calendar } = this.company;
    const before = await this.state();
    // A resumed seed may find the change made already, its Idempotency-Key record lost.
    if (before.plan.pendingChange === null && before.plan.targets.some((target) => target.periodId)) return;
    const later = calendar.periods.slice(calendar.periods.indexOf(calendar.history[0]) + 1);
    await this.post(
      this.self(),
      'request-plan-change',
      {
        targets: later.map((periodId) => ({
          indicatorId: 'sales_volume',
          periodId,
          threshold: 700,
          target: 900,
          stretch: 1100,
        })),
        // The approved key actions stay: a change that left them out would have to remove them with a reason.
        actions: before.plan.actions.map((action) => ({
          ...action,
          ...KEY_ACTION_TEXTS[action.indicatorId],
        })),
        reason:
          'The main distributor of the territory closed; volume targets lowered for the rest of the half',
      },
      'request-plan-change',
    );
    const pending = (await this.state()).plan.pendingChange;
    // A resumed seed finds the change already approved.
    if (pending)
      await this.post(
        this.manager(),
        'approve-plan-change',
        { changeId: pending.changeId },
        'approve-plan-change',
      );
  }

  /** Annotations, a waived veto, a contested red line, a peer proposed for the 360. */
  private async extras() {
    const { calendar } = this.company;
    if (this.employeeId === CAST.nominationPending) await this.proposePeer();
    if (this.employeeId === CAST.employee) {
      const vetoed = calendar.history[calendar.history.length - 1];
      await this.post(
        this.manager(),
        'annotations',
        {
          on: { periodId: vetoed, indicatorId: 'product_mix' },
          text: 'Product mix at 82.5 % of target: the bonus for the month is vetoed; see the improvement actions',
        },
        'annotate',
      );
    } else if (this.chance('annotate') < 0.25 && calendar.history.length > 0) {
      const periodId = calendar.history[Math.floor(this.chance('annotate-month') * calendar.history.length)];
      await this.post(
        this.manager(),
        'annotations',
        { on: { periodId }, text: ANNOTATIONS[Math.floor(this.chance('annotation') * ANNOTATIONS.length)] },
        'annotate',
      );
    }
    if (this.employeeId === CAST.vetoWaived)
      await this.post(
        this.hr(),
        'waive-veto',
        {
          periodId: calendar.history[0],
          indicatorId: 'product_mix',
          reason: 'Supply shortage of the new product line: the plant was shut for two weeks',
        },
        'waive-veto',
      );
    if (this.employeeId === CAST.redLine) {
      // A resumed seed may find the breach filed already, its Idempotency-Key record lost.
      if (Object.keys((await this.state()).redLines).length === 0)
        await this.post(
          this.hr(),
          'file-red-line-breach',
          {
            redLineId: 'customer_harm',
            description: "A key customer's order shipped three weeks late without notice",
            evidence: 'Customer complaint 2026-117',
          },
          'red-line',
        );
      const [breachId] = Object.keys((await this.state()).redLines);
      await this.post(
        this.self(),
        'contest-red-line',
        { breachId, reason: 'The carrier caused the delay; the customer was told by phone on the day' },
        'contest-red-line',
      );
    }
  }

  /**
   * A peer proposed for the 360 and left to the manager: the proposal waits in the appraisal for
   * the team lead's approval or rejection.
   */
  private async proposePeer() {
    const nominations = (await this.state()).nominations ?? {};
    // A resumed seed may find the proposal made already, its Idempotency-Key record lost.
    if (Object.values(nominations).some((nomination) => nomination.employeeId === CAST.pendingNominee))
      return;
    await this.post(
      this.self(),
      'nominate-rater',
      { group: 'peer', employeeId: CAST.pendingNominee },
      'nominate/pending',
    );
  }

  /**
   * The whole half for one person by people's own actions: peers nominated (one proposed and
   * approved, one assigned by HR), ratings in, the months nobody will review waived by HR; the
   * worker scores the half. Then a red line filed makes the score stale and the worker scores again.
   */
  private async scoredThenStale() {
    const [proposed, assigned] = CAST.nominees;
    const nominated = (employeeId: string) =>
      Object.entries(this.nominations ?? {}).find(([, nomination]) => nomination.employeeId === employeeId);
    this.nominations = (await this.state()).nominations;
    if (!nominated(proposed))
      await this.post(this.self(), 'nominate-rater', { group: 'peer', employeeId: proposed }, 'nominate/1');
    this.nominations = (await this.state()).nominations;
    const [nominationId, nomination] = nominated(proposed)!;
    if (nomination.status === 'proposed')
      await this.post(this.manager(), 'approve-nomination', { nominationId }, 'approve-nomination');
    if (!nominated(assigned))
      await this.post(this.hr(), 'nominate-rater', { group: 'peer', employeeId: assigned }, 'nominate/2');
    const before = await this.state();
    if (before.status === 'in-progress') {
      await this.post(
        this.self(),
        'submit-self-assessment',
        { rating: 85, comment: 'A steady half' },
        'self-rating',
      );
      await this.post(this.manager(), 'submit-rating', { group: 'manager', rating: 82 }, 'manager-rating');
      for (const [rater, rating] of [
        [proposed, 88],
        [assigned, 80],
      ] as const)
        await this.post(
          this.api.as(rater, this.company.byId, this.company.managers),
          'submit-rating',
          { group: 'peer', rating },
          `peer-rating/${rater}`,
        );
      for (const [periodId, period] of Object.entries(before.periods))
        if (period.status !== 'scored')
          await this.post(
            this.hr(),
            'waive-period',
            { periodId, reason: 'Team lead rotation: the half is closed early for this appraisal' },
            `waive/${periodId}`,
          );
    }
    await this.until((state) => state.status === 'scored' && !state.scoreStale, 'scored');
    if (Object.keys((await this.state()).redLines).length === 0)
      await this.post(
        this.hr(),
        'file-red-line-breach',
        {
          redLineId: 'customer_harm',
          description: 'A distributor was promised a discount the company had not approved',
          evidence: 'Distributor letter 2026-203',
        },
        'red-line-after-score',
      );
    await this.until(
      (state) => state.status === 'scored' && !state.scoreStale && Object.keys(state.redLines).length > 0,
      'scored again',
    );
  }

  private nominations: AppraisalState['nominations'];

  /** Waits for the worker's process managers to bring the appraisal where `done` says. */
  private async until(done: (state: AppraisalState) => boolean, what: string) {
    const deadline = Date.now() + PROCESS_MANAGER_WAIT_MS;
    while (!done(await this.state())) {
      if (Date.now() > deadline)
        throw new SeedError(`${this.employeeId}: not ${what} after ${PROCESS_MANAGER_WAIT_MS} ms`);
      await sleep(100);
    }
  }
}
