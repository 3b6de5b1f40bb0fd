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

/**
 * A number from outside, bounded in digits before and after the decimal point. Unbounded, one
 * actual of 131,073 digits passed validation and stopped the score projection of every tenant
 * (numeric overflow); every number that reaches the domain goes through one of these.
 */
export function boundedNumber(integerDigits: number, fractionDigits: number) {
  return NumberLike.refine(
    (value) => withinDigits(value, integerDigits, fractionDigits),
    `at most ${integerDigits} digits before the decimal point and ${fractionDigits} after`,
  );
}

function withinDigits(value: number | string, integerDigits: number, fractionDigits: number): boolean {
  if (typeof value === 'number') {
    // A binary number has no written digits: it fits when rounding to the allowed places keeps it.
    return Math.abs(value) < 10 ** integerDigits && Number(value.toFixed(fractionDigits)) === value;
  }
  const [whole, fraction = ''] = value.replace(/^-/, '').split('.');
  return (
    whole.replace(/^0+(?=\d)/, '').length <= integerDigits &&
    fraction.replace(/0+$/, '').length <= fractionDigits
  );
}

/** Quantities measured or targeted (actuals, corrections, levels, band limits, veto values). */
export const Measure = boundedNumber(15, 6);
/** Points on a scoring scale: scores, ratings, floors and caps, grade bands, coefficients, percentages. */
export const ScaleValue = boundedNumber(6, 4);
/** Weights of indicators and rater groups (they sum to 100). */
export const WeightValue = boundedNumber(3, 4);

export const Grade = z.string().min(1).max(8);

/** Free text from people: bounded, and only ever inside a `pii` field of event data. */
export const FreeText = z.string().min(1).max(4000);
export const OptionalText = z.string().max(4000).optional();
