import type { Decider } from '@verity/domain';
import { streamName, type EventStore } from '@verity/event-store';
import { EVENT_STORE } from '../event-store/event-store.provider';
import { tenantOnTestApi } from '../testing/tenant-fixture';
import { CommandExecutor, type CommandEnvelope } from './command-executor';

const TENANT = 'fold-erasure';
const ZHANG_WORDS = 'Sanfeng-words: my family situation';
const BOB_WORDS = 'Bob-words: the quarter went well';
const ANN_NOTE = 'Sanfeng-note on Ann: talked about her health';
const TRACE = /sanfeng/i;

/**
 * A state that keeps the words of its events, as any future aggregate might: what ADR 0115's fold-cache section guards
 * against is exactly such a state left in the API's fold cache (ADR 0148) after the person's erasure.
 */
type Notes = { words: unknown[] };
type NoteEvent = { type: 'NoteKept'; data: { employeeId: string; pii: { text: string } } };
const notes: Decider<{ text: string; employeeId: string } | null, NoteEvent, Notes> = {
  initialState: () => ({ words: [] }),
  evolve: (state, event) => ({ words: [...state.words, event.data.pii] }),
  decide: (command) =>
    command === null
      ? []
      : [{ type: 'NoteKept', data: { employeeId: command.employeeId, pii: { text: command.text } } }],
};

/**
 * ADR 0115's fold-cache section on the real API, store and keyring: after a person's data is erased, no state the API
 * keeps in memory holds their words; other people's states stay cached; and a state read again
 * afterwards holds their `pii` as erased.
 */
describe("the API's fold cache forgets an erased person's states", () => {
  let executor: CommandExecutor;
  let store: EventStore;
  let envelope: CommandEnvelope;
  const stream = (id: string) => streamName('notes', TENANT, id);
  const cached = () => JSON.stringify(executor.cachedStates());
  const cachedStream = (streamId: string) =>
    executor.cachedStates().some((entry) => entry.streamId === streamId);

  const t = tenantOnTestApi(TENANT);

  beforeAll(async () => {
    executor = t.app.get(CommandExecutor);
    store = t.app.get(EVENT_STORE);
    envelope = {
      principal: { tenantId: TENANT, subject: `hr-${TENANT}`, role: 'hr', scopes: [], via: 'jwt' },
      correlationId: 'fold-cache-erasure',
    };
  });

  const keep = (id: string, employeeId: string, text: string | null) =>
    executor.execute({
      streamId: stream(id),
      decider: notes,
      command: text === null ? null : { text, employeeId },
      envelope,
      subjectOf: () => employeeId,
    });

  it('drops the states holding the erased person’s words, keeps the others, and reads erased words afterwards', async () => {
    await t.hireIntoSales('e-zhang', 'Zhang Sanfeng');
    // Ann's appraisal folded in the cache, with a manager's note about her (sealed with her key).
    const annAppraisal = await t.appraisalOf('e-ann');
    await t.send('mgr', annAppraisal, 'annotations', { on: { periodId: '2025-01' }, text: ANN_NOTE });
    // Zhang's words kept by the API's own append, and by a read of what another process wrote.
    await keep('zhang-appended', 'e-zhang', ZHANG_WORDS);
    await store.append(
      stream('zhang-read'),
      [
        {
          eventId: '5a8f7c52-8c1b-4c3e-9a65-3f0d7e1b2c40',
          type: 'NoteKept',
          data: { employeeId: 'e-zhang', pii: { text: ZHANG_WORDS } },
          metadata: {
            tenantId: TENANT,
            actor: { id: 'worker', role: 'system' },
            correlationId: 'fold-cache-erasure',
            causationId: null,
            schemaVersion: 1,
            piiSubject: 'e-zhang',
          },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    await keep('zhang-read', 'e-zhang', null); // decides nothing, but folds and keeps the stream
    await keep('bob', 'e-bob', BOB_WORDS);
    expect(cachedStream(stream('zhang-read'))).toBe(true);
    expect(cached()).toContain(ZHANG_WORDS);
    expect(cached()).toContain(BOB_WORDS);

    for (const employeeId of ['e-zhang', 'e-ann']) await t.erase(employeeId);

    expect(cached()).not.toMatch(TRACE);
    expect(cachedStream(stream('zhang-appended'))).toBe(false);
    expect(cachedStream(stream('zhang-read'))).toBe(false);
    // Another person's state is still kept: the erasure forgets only whose data it erased.
    expect(cachedStream(stream('bob'))).toBe(true);
    expect(cached()).toContain(BOB_WORDS);

    // Folded again from the store, Zhang's words read as erased, and stay out of memory.
    await keep('zhang-appended', 'e-zhang', null);
    const refolded = executor.cachedStates().find((entry) => entry.streamId === stream('zhang-appended'));
    expect(refolded?.state).toEqual({ words: [{ erased: true }] });
    // Ann's appraisal, folded again by the next command on it, holds nothing of the note either.
    t.ok(
      await t
        .http()
        .post(`/appraisals/${annAppraisal}/annotations`)
        .set(t.headers.mgr)
        .send({ on: { periodId: '2025-01' }, text: 'A later note' }),
      'AddAnnotation',
    );
    expect(cached()).not.toMatch(TRACE);
  });
});
