/**
 * Rows in the text format of PostgreSQL's COPY: columns split by tabs, rows ended by a newline, null
 * as `\N`, and a backslash, tab, newline or carriage return in a value escaped with a backslash.
 * Everything else goes as it is (quotes, commas, braces, any other character).
 */
export function copyText(rows: readonly (readonly (string | null)[])[]): string {
  let text = '';
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      if (i > 0) text += '\t';
      const value = row[i];
      text += value === null ? '\\N' : SPECIAL.test(value) ? value.replace(SPECIALS, escape) : value;
    }
    text += '\n';
  }
  return text;
}

const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const escape = (character: string) => ESCAPES[character];
