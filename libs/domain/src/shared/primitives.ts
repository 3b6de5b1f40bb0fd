import { z } from 'zod';

/** Ids are opaque strings without `:` or whitespace (they end up in stream and job ids). */
export const Id = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" or "-" only');

/** A slug usable as an identifier in formulas: `sales_volume`. */
export const Slug = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a letter or "_" first, then letters, digits or "_"');

export const Instant = z.iso.datetime({ offset: true });
export const CalendarDate = z.iso.date();

/** Exact decimals travel as strings in events (never binary floating point). */
export const DecimalString = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/, 'a decimal number as a string, e.g. "87.30"');
/** Inputs may give a JSON number or a decimal string. */
export const NumberLike = z.union([z.number().finite(), DecimalString]);

export const Grade = z.string().min(1).max(8);

/** Free text from people: bounded, and only ever inside a `pii` field of event data. */
export const FreeText = z.string().min(1).max(4000);
export const OptionalText = z.string().max(4000).optional();
