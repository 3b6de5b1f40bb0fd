import { Problem } from '../errors/problem';

/** No request body may nest objects and arrays deeper than this (Verity's deepest schema needs about 10). */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x5b, 0x7b]);
const CLOSERS = new Set([0x5d, 0x7d]);

/**
 * True when the JSON text nests deeper than `max`, found by one scan of the raw text before it is
 * parsed: every walk after parsing (validation, canonicalisation, serialisation) recurses, and a
 * body nested 10,000 deep would overflow the stack there and end in a 500.
 */
export function nestsDeeperThan(text: string | Uint8Array, max = MAX_JSON_DEPTH): boolean {
  const code =
    typeof text === 'string' ? (index: number) => text.charCodeAt(index) : (index: number) => text[index];
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const current = code(index);
    if (inString) {
      if (current === BACKSLASH) index++;
      else if (current === QUOTE) inString = false;
    } else if (current === QUOTE) {
      inString = true;
    } else if (OPENERS.has(current)) {
      if (++depth > max) return true;
    } else if (CLOSERS.has(current)) {
      depth--;
    }
  }
  return false;
}

export const tooDeep = () =>
  new Problem(400, 'invalid-request', 'The request body nests objects or arrays too deeply.', {
    errors: [
      {
        path: '(body)',
        rule: 'too_deep',
        message: `objects and arrays nested at most ${MAX_JSON_DEPTH} deep`,
      },
    ],
  });
