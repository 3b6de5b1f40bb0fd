import { fold, type Decider } from '../decider';
import { eventSchemas, type EventType } from '../registry';
import type { DomainContext, Relation, Role } from '../shared/context';

/**
 * Given / when / then for deciders (after EventSourcing.NodeJS's decider specification): fold the
 * given events, decide the command, compare events or the typed error. Every event decided is also
 * checked against its registered schema, so the vocabulary and the rules cannot drift apart.
 */
export function checkedAgainstSchemas<E extends { type: string; data: unknown }>(events: E[]): E[] {
  for (const event of events) {
    const entry = eventSchemas[event.type as EventType];
    if (!entry) throw new Error(`event type ${event.type} is not registered`);
    const result = entry.schema.safeParse(event.data);
    if (!result.success) throw new Error(`${event.type} does not match its schema: ${result.error.message}`);
  }
  return events;
}

export function specification<S, C, E extends { type: string; data: unknown }, X>(
  decider: Decider<C, E, S, X>,
) {
  return {
    given(events: E[]) {
      return {
        when(command: C, ctx: X) {
          const run = () => checkedAgainstSchemas(decider.decide(command, fold(decider, events), ctx));
          return {
            then(expected: E[]) {
              expect(run()).toEqual(expected);
            },
            thenMatches(expected: object[]) {
              const actual = run();
              expect(actual).toMatchObject(expected);
              expect(actual).toHaveLength(expected.length);
            },
            thenThrows(code: string, intent?: string) {
              let caught: unknown;
              try {
                run();
              } catch (error) {
                caught = error;
              }
              expect(caught).toMatchObject(intent ? { code, intent } : { code });
            },
            events: run,
          };
        },
      };
    },
  };
}

/** Commands decided one after another, each against `given` and the events decided before it; all the events. */
export function decideInTurn<S, C, E extends { type: string; data: unknown }, X>(
  decider: Decider<C, E, S, X>,
  steps: [C, X][],
  given: E[] = [],
): E[] {
  const events = [...given];
  for (const [command, ctx] of steps) {
    events.push(...checkedAgainstSchemas(decider.decide(command, fold(decider, events), ctx)));
  }
  return events;
}

export const NOW = '2026-02-03T09:00:00.000Z';

/** A context with fixed time and ids; `ids` are handed out in order. */
export function contextFor(
  role: Role,
  options: {
    relation?: Relation;
    actorId?: string;
    employeeId?: string;
    now?: string;
    ids?: string[];
    tenantId?: string;
  } = {},
): DomainContext {
  const ids = [...(options.ids ?? Array.from({ length: 50 }, (_, i) => `id-${i + 1}`))];
  return {
    now: options.now ?? NOW,
    tenantId: options.tenantId ?? 'demo',
    actor: {
      id: options.actorId ?? `user-${role}`,
      role,
      ...(options.employeeId ? { employeeId: options.employeeId } : {}),
    },
    relation: options.relation ?? 'none',
    newId: () => {
      const next = ids.shift();
      if (next === undefined) throw new Error('test context ran out of ids');
      return next;
    },
  };
}
