import { AGGREGATES, appraisalDecider, fold, type Appraisal } from '@verity/domain';
import {
  streamName,
  type AppendRequest,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '@verity/event-store';

/**
 * One system command to one appraisal: the timers' `FireTimer` or a process manager's command.
 * `decide` is called on the state the stream's earlier commands of the same batch left, with the
 * stored events (to see whether this command was recorded already); it answers the events to
 * append and the outcome they stand for, or an outcome without events.
 */
export interface AppraisalWrite<O> {
  tenantId: string;
  appraisalId: string;
  decide(
    state: Appraisal,
    stored: readonly RecordedEvent[],
  ): Promise<{ events: NewEvent[]; outcome: O } | { outcome: O }>;
}

/** Each write's own result: its outcome, or the error that stopped it. */
export type Settled<O> = { ok: true; outcome: O } | { ok: false; error: unknown };

const codeOf = (error: unknown) => (error as { code?: unknown } | null)?.code;

interface Group {
  streamId: string;
  indexes: number[];
}

/**
 * The worker's one write path to appraisals (docs/adr/0128-one-write-path.md), as the API's command
 * executor writes one: load, fold, decide, append at the loaded revision. Many streams go per round
 * trip: one read of all of them, one append to all of them, the writes of one appraisal decided in
 * turn into that stream's one append. Each write still succeeds or fails on its own: when a stream
 * changed in between (a person acted) or one write's events were refused, that stream's writes are
 * made again one at a time on the newer stream, so a refusal stays with its write.
 */
export class AppraisalBatchWriter {
  constructor(
    private readonly store: EventStore,
    private readonly attempts = 3,
  ) {}

  async write<O>(writes: readonly AppraisalWrite<O>[]): Promise<Settled<O>[]> {
    const settled: Settled<O>[] = new Array(writes.length);
    const byStream = new Map<string, number[]>();
    writes.forEach((write, index) => {
      const streamId = streamName(AGGREGATES.appraisal, write.tenantId, write.appraisalId);
      byStream.set(streamId, [...(byStream.get(streamId) ?? []), index]);
    });
    const groups = [...byStream].map(([streamId, indexes]) => ({ streamId, indexes }));
    await this.writeGroups(groups, writes, settled, 1);
    return settled;
  }

  private async writeGroups<O>(
    groups: Group[],
    writes: readonly AppraisalWrite<O>[],
    settled: Settled<O>[],
    attempt: number,
  ): Promise<void> {
    let streams: Map<string, RecordedEvent[]>;
    try {
      streams = await this.store.readStreams(groups.map((group) => group.streamId));
    } catch (error) {
      for (const group of groups) for (const index of group.indexes) settled[index] = { ok: false, error };
      return;
    }
    const appends: { group: Group; request: AppendRequest; recorded: Map<number, O> }[] = [];
    for (const group of groups) {
      const stored = streams.get(group.streamId) ?? [];
      let state = fold(appraisalDecider, stored);
      const events: NewEvent[] = [];
      const recorded = new Map<number, O>();
      for (const index of group.indexes) {
        try {
          const decision = await writes[index].decide(state, stored);
          if (!('events' in decision)) {
            settled[index] = { ok: true, outcome: decision.outcome };
            continue;
          }
          events.push(...decision.events);
          recorded.set(index, decision.outcome);
          state = fold(appraisalDecider, decision.events, state);
        } catch (error) {
          settled[index] = { ok: false, error };
        }
      }
      if (events.length === 0) continue;
      const expectedRevision = stored.length ? stored[stored.length - 1].streamRevision : 'no_stream';
      appends.push({ group, recorded, request: { streamId: group.streamId, events, expectedRevision } });
    }
    if (appends.length === 0) return;
    let results;
    try {
      results = await this.store.appendToStreams(appends.map((append) => append.request));
    } catch (error) {
      for (const { recorded } of appends)
        for (const index of recorded.keys()) settled[index] = { ok: false, error };
      return;
    }
    const again: Group[] = [];
    results.forEach((result, i) => {
      const { group, recorded } = appends[i];
      if (result.ok) {
        for (const [index, outcome] of recorded) settled[index] = { ok: true, outcome };
        return;
      }
      const writeAgain =
        attempt < this.attempts && (recorded.size > 1 || codeOf(result.error) === 'wrong-expected-revision');
      if (writeAgain)
        again.push(...[...recorded.keys()].map((index) => ({ streamId: group.streamId, indexes: [index] })));
      else for (const index of recorded.keys()) settled[index] = { ok: false, error: result.error };
    });
    // One at a time, in order: the writes of one stream must see each other's events.
    for (const group of again) await this.writeGroups([group], writes, settled, attempt + 1);
  }
}
