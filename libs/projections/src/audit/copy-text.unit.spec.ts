import { copyText } from './copy-text';

describe('copyText', () => {
  it('splits columns by tabs, ends each row with a newline and writes null as \\N', () => {
    expect(copyText([])).toBe('');
    expect(
      copyText([
        ['a', null, '', 'NULL'],
        ['b', 'c', 'd', 'e'],
      ]),
    ).toBe('a\t\\N\t\tNULL\nb\tc\td\te\n');
  });

  it('escapes backslashes, tabs, line breaks and carriage returns, and nothing else', () => {
    expect(copyText([['C:\\dir', 'tab\there', 'line\nbreak', 'cr\rhere']])).toBe(
      'C:\\\\dir\ttab\\there\tline\\nbreak\tcr\\rhere\n',
    );
    expect(copyText([['say "hi"', 'a,b', '{x}', '\\N', '\\.', '匿名']])).toBe(
      'say "hi"\ta,b\t{x}\t\\\\N\t\\\\.\t匿名\n',
    );
  });
});
