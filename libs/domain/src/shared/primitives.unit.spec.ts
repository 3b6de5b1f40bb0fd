import { Measure, ScaleValue, WeightValue, boundedNumber } from './primitives';

describe('numbers from outside are bounded in digits (one huge actual stalled every tenant)', () => {
  const fits = (schema: ReturnType<typeof boundedNumber>, value: unknown) => schema.safeParse(value).success;

  it('accepts up to the digits allowed before and after the point, as strings or JSON numbers', () => {
    expect(fits(Measure, '999999999999999.999999')).toBe(true);
    expect(fits(Measure, '-999999999999999.999999')).toBe(true);
    expect(fits(Measure, '000950.500000')).toBe(true); // leading and trailing zeros carry no digits
    expect(fits(Measure, 950)).toBe(true);
    expect(fits(Measure, 2.2)).toBe(true);
    expect(fits(ScaleValue, '87.3')).toBe(true);
    expect(fits(WeightValue, '100')).toBe(true);
    expect(fits(WeightValue, 33.3333)).toBe(true);
  });

  it('refuses one digit more on either side, naming the rule', () => {
    const result = Measure.safeParse('9'.repeat(131_073));
    expect(result.success).toBe(false);
    expect(result.error!.issues[0].message).toBe('at most 15 digits before the decimal point and 6 after');
    expect(fits(Measure, '1000000000000000')).toBe(false);
    expect(fits(Measure, '0.0000001')).toBe(false);
    expect(fits(Measure, 1e300)).toBe(false);
    expect(fits(Measure, 1e-7)).toBe(false);
    expect(fits(ScaleValue, '1000000')).toBe(false);
    expect(fits(ScaleValue, '1.00001')).toBe(false);
    expect(fits(WeightValue, '1000')).toBe(false);
    expect(fits(WeightValue, 0.12345)).toBe(false);
  });

  it('still refuses what is not a number', () => {
    for (const value of ['1e5', 'NaN', '', ' 1', Infinity, null]) expect(fits(Measure, value)).toBe(false);
  });
});
