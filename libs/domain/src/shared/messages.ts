import type { z } from 'zod';

/** A versioned event-data schema: the API validates with it, the catalogue publishes it. */
export interface EventSchemaEntry<S extends z.ZodType = z.ZodType> {
  version: number;
  schema: S;
}

/**
 * Builds the discriminated union of events from a schema registry. `eventId` is set only where
 * the domain must fix the id itself (timer outcomes, see `timerEventId`); otherwise the handler
 * assigns one.
 */
export type EventsOf<R extends Record<string, EventSchemaEntry>> = {
  [K in keyof R & string]: { type: K; data: z.output<R[K]['schema']>; eventId?: string };
}[keyof R & string];

/** Builds the discriminated union of commands from a payload-schema registry. */
export type CommandsOf<R extends Record<string, z.ZodType>> = {
  [K in keyof R & string]: { type: K; data: z.output<R[K]> };
}[keyof R & string];

/** Compile-time exhaustiveness check for `switch` statements. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
