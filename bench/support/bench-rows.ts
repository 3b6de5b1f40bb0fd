import { appendFileSync, existsSync, readFileSync } from 'node:fs';

/**
 * The rows of the performance table (issue 21): each figure beside the baseline measured in the same
 * run, and their ratio. Each bench reports the rows it measures; `npm run bench` collects them from
 * every bench (through BENCH_ROWS_FILE) and prints the whole table at the end, naming a row no bench
 * reported rather than leaving it out.
 */
export const TABLE_ROWS = [
  'API command mix (32 connections), Fastify',
  'API command mix (32 connections), Express',
  'append, 1 event/call, 8 clients',
  'append, 50 events/call, 8 clients',
  'append, 1 event/call, 1 client',
  'readAll',
  'projection rebuild, score',
  'projection rebuild, audit',
  'timer lateness p99 at 1,667 due/s',
  'timer lateness p99 at 1,667 due/s, one core busy',
] as const;

export type TableRow = (typeof TABLE_ROWS)[number];

export interface RowFigure {
  row: TableRow;
  /** The product's figure, with its unit (e.g. `688 events/s, p99 12 ms`). */
  now: string;
  /** What the baseline is and its figure from the same run. */
  baseline: string;
  /** now / baseline, in % (lateness: the product's p99 over the baseline's). */
  ratio: number;
  target: string;
  /** Whether the target is met by this run's figures. */
  met: boolean;
  /** Anything that makes the row not comparable to a full run (e.g. a smaller log). */
  note?: string;
}

/** Prints the row and, under `npm run bench`, hands it to the summary. */
export function reportRow(figure: RowFigure): void {
  console.log(
    `table row: ${figure.row} — ${figure.now} | baseline ${figure.baseline} | ${figure.ratio.toFixed(0)} % | ` +
      `target ${figure.target}: ${figure.met ? 'met' : 'NOT met'}${figure.note ? ` (${figure.note})` : ''}`,
  );
  const file = process.env.BENCH_ROWS_FILE;
  if (file) appendFileSync(file, `${JSON.stringify(figure)}\n`);
}

/** The rows reported into `file`, the last report of a row winning. */
export function readRows(file: string): Map<TableRow, RowFigure> {
  const rows = new Map<TableRow, RowFigure>();
  if (!existsSync(file)) return rows;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const figure = JSON.parse(line) as RowFigure;
    rows.set(figure.row, figure);
  }
  return rows;
}

/** The whole table as markdown, in the issue's order; a row nothing reported says so. */
export function tableOf(rows: Map<TableRow, RowFigure>): string {
  const lines = [
    '| path | now | baseline in the same run | ratio | target | met |',
    '| --- | --- | --- | ---: | --- | --- |',
  ];
  for (const row of TABLE_ROWS) {
    const figure = rows.get(row);
    lines.push(
      figure
        ? `| ${row} | ${figure.now} | ${figure.baseline} | ${figure.ratio.toFixed(0)} % | ${figure.target} | ${figure.met ? 'met' : 'NOT met'}${figure.note ? ` (${figure.note})` : ''} |`
        : `| ${row} | not measured in this run (its bench failed or was not run) | | | | |`,
    );
  }
  return lines.join('\n');
}
