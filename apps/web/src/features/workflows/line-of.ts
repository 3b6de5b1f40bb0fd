import { LineCounter, parseDocument } from 'yaml';

/**
 * The line of a YAML draft that a problem's path points at (`scorecard.indicators[0].weight`, or
 * the dotted `scorecard.indicators.0.weight`): the deepest node of the path the document has (a
 * missing field points at its parent), or the line a YAML syntax error names (`line 3`); else 1.
 */
export function lineOf(yaml: string, path: string): number {
  const named = /^line (\d+)$/.exec(path);
  if (named) return Number(named[1]);
  const lineCounter = new LineCounter();
  const document = parseDocument(yaml, { lineCounter });
  const keys = path
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/^definition\.?/, '')
    .split('.')
    .filter(Boolean)
    .map((key) => (/^\d+$/.test(key) ? Number(key) : key));
  for (let depth = keys.length; depth > 0; depth--) {
    const node = document.getIn(keys.slice(0, depth), true) as
      { range?: [number, number, number] } | undefined;
    if (node?.range) return lineCounter.linePos(node.range[0]).line;
  }
  return 1;
}
