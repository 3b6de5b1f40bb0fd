import { Inject, Injectable } from '@nestjs/common';
import {
  AGGREGATES,
  DomainError,
  ValidationError,
  decideAppraisal,
  eventSchemas,
  evolveAppraisal,
  initialAppraisalState,
  uuidV5,
  type Appraisal,
  type AppraisalEvent,
  type CycleEvent,
  type DomainContext,
} from '@verity/domain';
import {
  WrongExpectedRevision,
  streamName,
  type AppendRequest,
  type EventStore,
  type NewEvent,
} from '@verity/event-store';
import type { Principal } from '../../auth/principal';
import { CLOCK, type Clock } from '../../clock/clock';
import { PinnedWorkflows } from '../../workflows/pinned-workflows';
import { EVENT_STORE } from '../../event-store/event-store.provider';
import type { FieldIssue } from '../../errors/problem';
import type { ActualRow, ParsedRow } from './file-actuals.request';

type CycleOpened = Extract<CycleEvent, { type: 'CycleOpened' }>['data'];

export type RowStatus = 'filed' | 'would-file' | 'unchanged' | 'refused';

export interface RowResult {
  row: number;
  status: RowStatus;
  appraisalId?: string;
  indicatorId?: string;
  periodId?: string;
  eventId?: string;
  /** Why a row was refused: a stable code, the rule's words, and the fields at fault. */
  code?: string;
  detail?: string;
  errors?: FieldIssue[];
}

// Event ids named after the row's content: a file sent again appends ids the store already holds.
const ACTUAL_EVENT_NAMESPACE = '9d3c2b71-5a4e-4f08-8c6d-1e2f3a4b5c6d';

/**
 * Files many people's actuals in one request (docs/adr/0116): the rows are grouped by appraisal,
 * every appraisal is read in one round trip, each row is decided on its own (a refused row writes
 * nothing and does not stop the others) and every appraisal's new events are appended in one
 * round trip, each stream at the revision it was read at.
 */
@Injectable()
export class FileActualsHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly workflows: PinnedWorkflows,
  ) {}

  /** Rows naming cycle and employee: the cycles are read once, their opening lists each appraisal's subject. */
  private async appraisalsByEmployee(
    tenantId: string,
    rows: ParsedRow[],
  ): Promise<(cycleId: string, employeeId: string) => string | undefined> {
    const cycleIds = new Set(
      rows.flatMap((row) => ('value' in row && row.value.cycleId ? [row.value.cycleId] : [])),
    );
    const found = new Map<string, string>();
    if (cycleIds.size > 0) {
      const cycles = await this.store.readStreams(
        [...cycleIds].map((id) => streamName(AGGREGATES.cycle, tenantId, id)),
        { tenantId },
      );
      for (const events of cycles.values())
        for (const event of events) {
          if (event.type !== 'CycleOpened') continue;
          const opened = event.data as CycleOpened;
          for (const { appraisalId, subject } of opened.appraisals)
            if (subject.kind === 'employee')
              found.set(`${opened.cycleId}/${subject.employeeId}`, appraisalId);
        }
    }
    return (cycleId, employeeId) => found.get(`${cycleId}/${employeeId}`);
  }

  async file(
    principal: Principal,
    rows: ParsedRow[],
    options: { dryRun: boolean; correlationId: string },
  ): Promise<RowResult[]> {
    const { tenantId } = principal;
    const results: RowResult[] = new Array(rows.length);
    const appraisalIdOf = await this.appraisalsByEmployee(tenantId, rows);
    const byAppraisal = new Map<string, { row: number; index: number; value: NamedRow }[]>();
    rows.forEach((parsed, index) => {
      if ('issues' in parsed) {
        results[index] = {
          row: parsed.row,
          status: 'refused',
          code: 'invalid-row',
          detail: 'The row does not match its schema.',
          errors: parsed.issues,
        };
        return;
      }
      const appraisalId =
        parsed.value.appraisalId ?? appraisalIdOf(parsed.value.cycleId!, parsed.value.employeeId!);
      if (appraisalId === undefined) {
        results[index] = {
          row: parsed.row,
          status: 'refused',
          code: 'not-found',
          detail: `no appraisal of "${parsed.value.employeeId}" in cycle "${parsed.value.cycleId}"`,
          errors: [
            { path: 'employeeId', rule: 'not-found', message: 'no appraisal of this employee in the cycle' },
          ],
        };
        return;
      }
      const value = { ...parsed.value, appraisalId };
      const group = byAppraisal.get(appraisalId) ?? [];
      group.push({ row: parsed.row, index, value });
      byAppraisal.set(appraisalId, group);
    });

    const streamOf = (appraisalId: string) => streamName(AGGREGATES.appraisal, tenantId, appraisalId);
    const streams = await this.store.readStreams([...byAppraisal.keys()].map(streamOf), { tenantId });
    const now = this.clock.now().toISOString();
    const requests: (AppendRequest & { indexes: number[] })[] = [];

    for (const [appraisalId, group] of byAppraisal) {
      const events = streams.get(streamOf(appraisalId)) ?? [];
      let state: Appraisal = events.reduce(
        (current, event) =>
          evolveAppraisal(current, { type: event.type, data: event.data } as AppraisalEvent),
        initialAppraisalState(),
      );
      if (state.status === 'empty') {
        for (const entry of group)
          results[entry.index] = {
            ...where(entry),
            status: 'refused',
            code: 'not-found',
            detail: `no appraisal "${appraisalId}"`,
            errors: [{ path: 'appraisalId', rule: 'not-found', message: 'no such appraisal' }],
          };
        continue;
      }
      const workflow = await this.workflows.pinned(tenantId, state.workflowId, state.workflowVersion);
      const appended: NewEvent[] = [];
      const indexes: number[] = [];
      for (const entry of group) {
        const { periodId, indicatorId, actual, system, reference } = entry.value;
        const context: DomainContext & { workflow: typeof workflow } = {
          now,
          tenantId,
          actor: { id: principal.subject, role: principal.role, employeeId: principal.employeeId },
          relation: 'none',
          newId: () => {
            throw new Error('importing an actual creates nothing');
          },
          workflow,
        };
        try {
          const decided = decideAppraisal(
            {
              type: 'ImportActual',
              data: {
                appraisalId,
                periodId,
                indicatorId,
                actual,
                source: { system, ...(reference ? { reference } : {}) },
              },
            },
            state,
            context,
          );
          if (decided.length === 0) {
            results[entry.index] = { ...where(entry), status: 'unchanged' };
            continue;
          }
          state = decided.reduce(evolveAppraisal, state);
          for (const event of decided) {
            // The same row on the same stream head names the same event: a retried request appends nothing twice.
            const eventId = uuidV5(
              ACTUAL_EVENT_NAMESPACE,
              [
                tenantId,
                appraisalId,
                events.length + appended.length,
                periodId,
                indicatorId,
                actual,
                system,
                reference ?? '',
              ].join('/'),
            );
            appended.push({
              eventId,
              type: event.type,
              data: event.data,
              metadata: {
                tenantId,
                actor: { id: principal.subject, role: principal.role },
                correlationId: options.correlationId,
                causationId: null,
                schemaVersion: eventSchemas[event.type].version,
              },
            });
            indexes.push(entry.index);
            results[entry.index] = {
              ...where(entry),
              status: options.dryRun ? 'would-file' : 'filed',
              eventId,
            };
          }
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          results[entry.index] = {
            ...where(entry),
            status: 'refused',
            code: error.code,
            detail: error.message,
            ...(error instanceof ValidationError ? { errors: error.issues } : {}),
          };
        }
      }
      if (appended.length > 0) {
        const lastRevision = events.length ? events[events.length - 1].streamRevision : null;
        requests.push({
          streamId: streamOf(appraisalId),
          events: appended,
          expectedRevision: lastRevision === null ? 'no_stream' : lastRevision,
          indexes,
        });
      }
    }

    if (!options.dryRun && requests.length > 0) {
      const outcomes = await this.store.appendToStreams(
        requests.map(({ indexes: _, ...request }) => request),
      );
      outcomes.forEach((outcome, i) => {
        if (outcome.ok) return;
        // The appraisal changed while the rows were decided: none of its rows is filed; sending them again is safe.
        const conflict = outcome.error instanceof WrongExpectedRevision;
        for (const index of requests[i].indexes)
          results[index] = {
            ...results[index],
            status: 'refused',
            eventId: undefined,
            code: conflict ? 'wrong-expected-revision' : 'append-failed',
            detail: conflict ? 'the appraisal changed meanwhile; send the row again' : outcome.error.message,
          };
      });
    }
    return results;
  }
}

type NamedRow = ActualRow & { appraisalId: string };

const where = (entry: { row: number; value: NamedRow }) => ({
  row: entry.row,
  appraisalId: entry.value.appraisalId,
  periodId: entry.value.periodId,
  indicatorId: entry.value.indicatorId,
});
