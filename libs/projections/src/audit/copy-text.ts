/**
 * One row in the text format of PostgreSQL's COPY: columns split by tabs, the row ended by a newline,
 * null as `\N`, and a backslash, tab, newline or carriage return in a value escaped with a backslash.
 * Everything else goes as it is (quotes, commas, braces, any other character).
 */
export function copyRow(values: readonly (string | null)[]): string {
  let text = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) text += '\t';
    const value = values[i];
    text += value === null ? '\\N' : SPECIAL.test(value) ? value.replace(SPECIALS, escape) : value;
  }
  return `${text}\n`;
}

const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const escape = (character: string) => ESCAPES[character];
