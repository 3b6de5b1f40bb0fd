import { z } from 'zod';
import { eventCatalogue, eventSchemas, isEventType } from '@verity/domain';

/** An older version of an event's data and how to lift it to the next version. */
export interface EventUpcaster {
  type: string;
  /** The version this upcaster reads; it returns data of `fromVersion + 1`. */
  fromVersion: number;
  schema: z.ZodType;
  upcast(data: unknown): unknown;
}

/**
 * Old event versions still found in stored logs. Empty today: every event type is at its first
 * version. Add an entry here when the domain bumps a version; the catalogue then lists the old
 * schema and every reader (feed, webhooks) sees the current shape.
 */
export const eventUpcasters: readonly EventUpcaster[] = [];

/** The current version of an event type, or null when the type is unknown to the domain. */
export function currentVersion(type: string): number | null {
  return isEventType(type) ? eventSchemas[type].version : null;
}

/** Lifts stored event data to its type's current version, one step at a time. */
export function upcast(type: string, version: number, data: unknown): { version: number; data: unknown } {
  let current = { version, data };
  for (;;) {
    const step = eventUpcasters.find((u) => u.type === type && u.fromVersion === current.version);
    if (!step) return current;
    current = { version: current.version + 1, data: step.upcast(current.data) };
  }
}

export interface CatalogueEntry {
  type: string;
  version: number;
  /** The CloudEvents `type` deliveries and the feed carry for this version. */
  cloudEventType: string;
  aggregate: string | null;
  /** True for the version new events are written in; older ones are upcast on read. */
  current: boolean;
  schema: unknown;
}

/** Every event type and version as JSON Schema (z.toJSONSchema, through the domain's catalogue). */
export function eventCatalogueWithVersions(): CatalogueEntry[] {
  const current: CatalogueEntry[] = eventCatalogue().map((entry) => ({
    type: entry.type,
    version: entry.version,
    cloudEventType: cloudEventType(entry.type, entry.version),
    aggregate: entry.aggregate,
    current: true,
    schema: entry.schema,
  }));
  const older: CatalogueEntry[] = eventUpcasters.map((u) => ({
    type: u.type,
    version: u.fromVersion,
    cloudEventType: cloudEventType(u.type, u.fromVersion),
    aggregate: current.find((entry) => entry.type === u.type)?.aggregate ?? null,
    current: false,
    schema: z.toJSONSchema(u.schema, { unrepresentable: 'any' }),
  }));
  return [...current, ...older].sort((a, b) => a.type.localeCompare(b.type) || a.version - b.version);
}

export const cloudEventType = (type: string, version: number) => `verity.${type}.v${version}`;
