import { lineOf } from './line-of';

const yaml = [
  'name: Sales',
  'scorecard:',
  '  indicators:',
  '    - id: sales',
  '      weight: 60',
  '    - id: mix',
  '      weight: 40',
  '',
].join('\n');

describe('lineOf: a problem path placed on the line of the YAML draft it concerns', () => {
  it('finds a field by the domain path (brackets) and by the dotted form', () => {
    expect(lineOf(yaml, 'scorecard.indicators[1].weight')).toBe(7);
    expect(lineOf(yaml, 'scorecard.indicators.0.weight')).toBe(5);
    expect(lineOf(yaml, 'definition.scorecard.indicators[0].id')).toBe(4);
  });

  it('points a missing field at its nearest parent, and takes a syntax error at its word', () => {
    expect(lineOf(yaml, 'scorecard.indicators[1].rule')).toBe(6);
    expect(lineOf(yaml, 'grades')).toBe(1);
    expect(lineOf(yaml, 'line 3')).toBe(3);
  });
});
