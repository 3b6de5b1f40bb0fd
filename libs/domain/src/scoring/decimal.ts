import Decimal from 'decimal.js';
import type { Rounding } from '../workflow/workflow-definition.schema';

/** A private Decimal constructor: 40 significant digits, no global configuration touched. */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = Decimal;

export function dec(value: number | string | Decimal): Decimal {
  // Numbers go through their shortest decimal string (0.1 → "0.1"), never their binary expansion.
  return new Dec(typeof value === 'number' ? String(value) : value);
}

const ROUNDING_MODES: Record<Rounding['mode'], Decimal.Rounding> = {
  'half-up': Decimal.ROUND_HALF_UP,
  'half-even': Decimal.ROUND_HALF_EVEN,
  down: Decimal.ROUND_DOWN,
};

/** Rounds per the workflow's rule and renders with exactly `places` decimals ("87.30"). */
export function roundTo(value: Decimal, rounding: Rounding): string {
  return value.toDecimalPlaces(rounding.places, ROUNDING_MODES[rounding.mode]).toFixed(rounding.places);
}

/** Renders an exact value without exponent notation. */
export function show(value: Decimal): string {
  return value.toFixed();
}

export function sum(values: Decimal[]): Decimal {
  return values.reduce((total, value) => total.plus(value), dec(0));
}

export function clamp(value: Decimal, min: Decimal, max: Decimal): Decimal {
  return Decimal.min(Decimal.max(value, min), max);
}
