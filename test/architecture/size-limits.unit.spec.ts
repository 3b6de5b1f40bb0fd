import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

// STYLE.md's size limits, checked so that they stay true: no source or test file over 500 lines,
// no function in libs/domain over 150 lines. A file past the limit is split by responsibility (or a
// test file by topic, ADR 0149), not cut at the line.
const MAX_FILE_LINES = 500;
const MAX_DOMAIN_FUNCTION_LINES = 150;

/** Files exempt from the file limit, by name, each with why. */
const GENERATED: Record<string, string> = {
  'apps/web/src/api/schema.d.ts': "generated from the API's OpenAPI document by `npm run web:api-types`",
};

const root = path.resolve(__dirname, '../..');
const tracked = execFileSync('git', ['ls-files', 'apps', 'libs', 'infra', 'bench', 'test'], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\n')
  .filter((file) => /\.(ts|tsx|mts)$/.test(file));
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** Lines as `wc -l` counts them in a file that ends with a newline. */
function lineCount(text: string): number {
  const lines = text.split('\n');
  return text.endsWith('\n') ? lines.length - 1 : lines.length;
}

/** The files over the limit, as `file: N lines`. */
function longFiles(files: string[], textOf: (file: string) => string): string[] {
  return files
    .filter((file) => !(file in GENERATED))
    .map((file) => ({ file, lines: lineCount(textOf(file)) }))
    .filter(({ lines }) => lines > MAX_FILE_LINES)
    .map(({ file, lines }) => `${file}: ${lines} lines`);
}

/** The functions (declarations, methods, arrows, accessors) over the limit, as `file:line name: N lines`. */
function longFunctions(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > MAX_DOMAIN_FUNCTION_LINES)
        found.push(`${file}:${start + 1} ${nameOf(node)}: ${lines} lines`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function nameOf(node: ts.SignatureDeclaration): string {
  if (node.name) return node.name.getText();
  // An arrow or function expression takes the name of what it is assigned to.
  const parent = node.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && parent.name)
    return parent.name.getText();
  return '(anonymous)';
}

const lines = (count: number, line: string) => `${Array.from({ length: count }, () => line).join('\n')}\n`;

describe('size limits', () => {
  const domainSources = tracked.filter((file) => file.startsWith('libs/domain/') && !file.includes('.spec.'));

  it('finds the files it checks', () => {
    expect(tracked.length).toBeGreaterThan(500);
    expect(tracked.some((file) => file.startsWith('bench/'))).toBe(true);
    expect(domainSources.length).toBeGreaterThan(50);
    expect(Object.keys(GENERATED).every((file) => tracked.includes(file))).toBe(true);
  });

  it(`keeps every source and test file at ${MAX_FILE_LINES} lines or fewer (generated files excepted)`, () => {
    expect(longFiles(tracked, read)).toEqual([]);
  });

  it(`keeps every function in libs/domain at ${MAX_DOMAIN_FUNCTION_LINES} lines or fewer`, () => {
    expect(domainSources.flatMap((file) => longFunctions(file, read(file)))).toEqual([]);
  });

  // The checks themselves bite: a later edit cannot quietly make them pass on anything.
  it('names a file one line over the limit, and only that one', () => {
    const texts: Record<string, string> = {
      'libs/long.ts': lines(MAX_FILE_LINES + 1, 'export const x = 1;'),
      'libs/at-limit.ts': lines(MAX_FILE_LINES, 'export const x = 1;'),
      'apps/web/src/api/schema.d.ts': lines(MAX_FILE_LINES * 2, 'type X = 1;'),
    };
    expect(longFiles(Object.keys(texts), (file) => texts[file])).toEqual(['libs/long.ts: 501 lines']);
  });

  it.each([
    ['a function', (body: string) => `export function decide() {\n${body}}\n`, 'decide'],
    ['an arrow', (body: string) => `export const evolve = () => {\n${body}};\n`, 'evolve'],
    ['a method', (body: string) => `export class A {\n  decide() {\n${body}  }\n}\n`, 'decide'],
    [
      'an inner function',
      (body: string) => `export const r = {\n  evolve: () => {\n${body}  },\n};\n`,
      'evolve',
    ],
  ])(`names %s over ${MAX_DOMAIN_FUNCTION_LINES} lines, not one at the limit`, (_kind, wrap, name) => {
    // The body, plus the lines that open and close the function.
    expect(
      longFunctions('libs/domain/src/long.ts', wrap(lines(MAX_DOMAIN_FUNCTION_LINES - 2, '  work();'))),
    ).toEqual([]);
    expect(
      longFunctions('libs/domain/src/long.ts', wrap(lines(MAX_DOMAIN_FUNCTION_LINES - 1, '  work();'))),
    ).toEqual([
      expect.stringMatching(
        new RegExp(`^libs/domain/src/long\\.ts:\\d+ ${name}: ${MAX_DOMAIN_FUNCTION_LINES + 1} lines$`),
      ),
    ]);
  });
});
