import { textArray } from './text-array';

describe('textArray', () => {
  it('quotes every element, escapes quotes and backslashes, and writes null as NULL', () => {
    expect(textArray([])).toBe('{}');
    expect(textArray(['a', null, '', 'NULL'])).toBe('{"a",NULL,"","NULL"}');
    expect(textArray(['say "hi"', 'C:\\dir', '\\"'])).toBe('{"say \\"hi\\"","C:\\\\dir","\\\\\\""}');
    expect(textArray(['a,b', '{x}', ' lead', 'line\nbreak', '匿名'])).toBe(
      '{"a,b","{x}"," lead","line\nbreak","匿名"}',
    );
  });
});
