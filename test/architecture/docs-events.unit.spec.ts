import { readFileSync } from 'node:fs';
import { eventSchemas } from '@verity/domain';
import { EVENTS_DOC, renderEventCatalogue } from '../../infra/scripts/event-catalogue-doc';

// docs/events.md is generated from the zod registry; an event changed without regenerating it fails here.
const written = readFileSync(EVENTS_DOC, 'utf8');
const generated = renderEventCatalogue();

/** The rows of one event's field table: path → [type, required, pii, notes]. */
function fieldsOf(doc: string, type: string, version: number): Map<string, string[]> {
  const start = doc.indexOf(`### ${type} (v${version})`);
  const end = doc.indexOf('\n### ', start + 1);
  const section = doc.slice(start, end === -1 ? undefined : end);
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
  return new Map(rows.map(([path, ...rest]) => [path.replace(/`/g, ''), rest]));
}

describe('docs/events.md', () => {
  it('is what `npm run docs:events` writes from the event registry', () => {
    if (written === generated) return;
    const before = written.split('\n');
    const after = generated.split('\n');
    const line = after.findIndex((text, i) => text !== before[i]);
    throw new Error(
      `docs/events.md is out of date: run \`npm run docs:events\`. First difference at line ${line + 1}:\n` +
        `  file:      ${before[line] ?? '(end of file)'}\n  generated: ${after[line] ?? '(end of file)'}`,
    );
  });

  it.each(Object.entries(eventSchemas))('documents %s with its CloudEvents type', (type, entry) => {
    expect(generated).toContain(`### ${type} (v${entry.version})`);
    expect(generated).toContain(`CloudEvents type \`verity.${type}.v${entry.version}\``);
  });

  it('lists every top-level field of every event and marks exactly those under pii', () => {
    for (const [type, entry] of Object.entries(eventSchemas)) {
      const fields = fieldsOf(generated, type, entry.version);
      const shape = (entry.schema as unknown as { shape: Record<string, unknown> }).shape;
      expect([...fields.keys()].filter((path) => !/[.[]/.test(path)).sort()).toEqual(
        Object.keys(shape).sort(),
      );
      for (const [path, [, , pii]] of fields)
        expect(`${type}.${path}: ${pii}`).toBe(
          `${type}.${path}: ${path === 'pii' || path.startsWith('pii.') ? 'yes' : ''}`,
        );
    }
  });

  it('shows the veto fields of the worked example with their types', () => {
    const fields = fieldsOf(generated, 'VetoBreached', 1);
    expect(fields.get('vetoValue')?.slice(0, 2)).toEqual(['decimal string', 'yes']);
    expect(fields.get('percentOfTarget')?.slice(0, 2)).toEqual(['decimal string \\| null', 'yes']);
    expect(fields.get('effect.type')?.[0]).toBe('`"bonus-zero"` \\| `"cap-score"` \\| `"cap-grade"`');
    expect(fieldsOf(generated, 'EmployeeHired', 1).get('pii.name')).toEqual(['string', 'yes', 'yes', '']);
  });
});
