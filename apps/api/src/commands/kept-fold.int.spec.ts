import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { IllegalStateError, type Decider } from '@verity/domain';
import { streamName, type EventStore } from '@verity/event-store';
import { EVENT_STORE } from '../event-store/event-store.provider';
import { startTestApi } from '../testing/api-test-kit';
import { CommandExecutor, type CommandEnvelope } from './command-executor';

const TENANT = 'kept-fold';

/** A door: opened and closed in turn; closing a closed door is refused, opening an open one decides nothing. */
type Door = { open: boolean; moves: number };
type DoorEvent = { type: 'DoorOpened' | 'DoorClosed'; data: { by: string } };
type DoorCommand = 'open' | 'close';
const door: Decider<DoorCommand, DoorEvent, Door> = {
  initialState: () => ({ open: false, moves: 0 }),
  evolve: (state, event) => ({ open: event.type === 'DoorOpened', moves: state.moves + 1 }),
  decide: (command, state, context) => {
    if (command === 'open') return state.open ? [] : [{ type: 'DoorOpened', data: { by: context.actor.id } }];
    if (!state.open) throw new IllegalStateError('door-closed', 'The door is already closed.');
    return [{ type: 'DoorClosed', data: { by: context.actor.id } }];
  },
};

/**
 * ADR 0167 on the real store: the API decides on the fold it kept without reading the stream first,
 * and a stream another process wrote meanwhile is still decided on as it is, never on the old fold.
 */
describe('a command decided on the fold the API kept', () => {
  let app: INestApplication;
  let executor: CommandExecutor;
  let store: EventStore;
  const envelope: CommandEnvelope = {
    principal: { tenantId: TENANT, subject: `hr-${TENANT}`, role: 'hr', scopes: [], via: 'jwt' },
    correlationId: 'kept-fold',
  };
  const stream = (id: string) => streamName('doors', TENANT, id);
  const statements: string[] = [];
  const query = Client.prototype.query;

  beforeAll(async () => {
    ({ app } = await startTestApi());
    executor = app.get(CommandExecutor);
    store = app.get(EVENT_STORE);
    // Patched for this file only (jest gives each file its own module registry).
    Client.prototype.query = function (this: Client, ...args: unknown[]) {
      const text = (args[0] as { text?: unknown } | string) ?? '';
      statements.push(typeof text === 'string' ? text : String(text.text));
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof Client.prototype.query;
  });
  afterAll(async () => {
    Client.prototype.query = query;
    await app.close();
  });

  const move = (id: string, command: DoorCommand) =>
    executor.execute({ streamId: stream(id), decider: door, command, envelope });
  /** What another process (a second API, the worker) appends, unseen by this one. */
  const elsewhere = (id: string, type: DoorEvent['type'], expectedRevision: bigint) =>
    store.append(
      stream(id),
      [
        {
          eventId: crypto.randomUUID(),
          type,
          data: { by: 'elsewhere' },
          metadata: {
            tenantId: TENANT,
            actor: { id: 'elsewhere', role: 'system' },
            correlationId: 'kept-fold-elsewhere',
            causationId: null,
            schemaVersion: 1,
          },
        },
      ],
      { expectedRevision },
    );
  const counted = async <T>(work: () => Promise<T>) => {
    statements.length = 0;
    const result = await work();
    return { result, kinds: statements.map(kindOf) };
  };

  it('a kept fold that is current: decided and appended without reading the stream', async () => {
    await move('front', 'open');
    await move('front', 'close');
    const { result, kinds } = await counted(() => move('front', 'open'));
    expect(result.revision).toBe(2n);
    expect(kinds).toEqual(['append']);
  });

  it('another process appended meanwhile: the append is refused, the stream caught up and decided again', async () => {
    await move('back', 'open');
    await move('back', 'close'); // kept: closed at revision 1
    await elsewhere('back', 'DoorOpened', 1n);
    await elsewhere('back', 'DoorClosed', 2n); // closed again, at revision 3
    // The kept fold decides an opening too, but at revision 1: refused, then decided on revision 3.
    const { result, kinds } = await counted(() => move('back', 'open'));
    expect(result).toMatchObject({ revision: 4n, events: [{ type: 'DoorOpened' }] });
    expect(kinds).toEqual(['append', 'catch-up', 'append']);
    const events = await store.readStream(stream('back'), { tenantId: TENANT });
    expect(events.map((event) => (event.data as { by: string }).by)).toEqual([
      'hr-kept-fold',
      'hr-kept-fold',
      'elsewhere',
      'elsewhere',
      'hr-kept-fold',
    ]);
  });

  it('a refusal on a kept fold is checked against the stream as it is before it is answered', async () => {
    await move('side', 'open');
    await move('side', 'close'); // kept: closed at revision 1
    await elsewhere('side', 'DoorOpened', 1n);
    // On the kept fold the door is closed and closing it is refused; the stream says it is open.
    const { result, kinds } = await counted(() => move('side', 'close'));
    expect(result).toMatchObject({ revision: 3n, events: [{ type: 'DoorClosed' }] });
    expect(kinds).toEqual(['catch-up', 'append']);
    // A refusal that the stream confirms is answered as before.
    await expect(move('side', 'close')).rejects.toMatchObject({ code: 'door-closed' });
  });

  it('nothing decided on a kept fold is checked too: a no-op is only answered for the stream as it is', async () => {
    await move('cellar', 'open'); // kept: open at revision 0
    await elsewhere('cellar', 'DoorClosed', 0n);
    const { result, kinds } = await counted(() => move('cellar', 'open'));
    expect(result).toMatchObject({ revision: 2n, events: [{ type: 'DoorOpened' }] });
    expect(kinds).toEqual(['catch-up', 'append']);
  });

  it('two writers of this process on one kept fold: one applies, the other is answered 409 as before', async () => {
    await move('gate', 'open');
    await move('gate', 'close');
    const results = await Promise.allSettled([move('gate', 'open'), move('gate', 'open')]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'wrong-expected-revision' });
    const events = await store.readStream(stream('gate'), { tenantId: TENANT });
    expect(events).toHaveLength(3);
  });
});

function kindOf(text: string): string {
  if (/FROM append_to_stream/.test(text)) return 'append';
  if (/FROM streams s LEFT JOIN LATERAL/.test(text)) return 'catch-up';
  return text.slice(0, 40);
}
