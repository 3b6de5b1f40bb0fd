/** One difference between two JSON documents, at a JSON-pointer-like dotted path. */
export interface Change {
  path: string;
  op: 'added' | 'removed' | 'changed';
  from?: unknown;
  to?: unknown;
}

/** A structural diff of two JSON values; arrays compare index by index. Bounded by `limit` changes. */
export function diffJson(
  from: unknown,
  to: unknown,
  path = '',
  changes: Change[] = [],
  limit = 1000,
): Change[] {
  if (changes.length >= limit) return changes;
  const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null;
  if (isObject(from) && isObject(to) && Array.isArray(from) === Array.isArray(to)) {
    const keys = new Set([...Object.keys(from), ...Object.keys(to)]);
    for (const key of keys) {
      const child = path ? `${path}.${key}` : key;
      if (!(key in to)) changes.push({ path: child, op: 'removed', from: from[key] });
      else if (!(key in from)) changes.push({ path: child, op: 'added', to: to[key] });
      else diffJson(from[key], to[key], child, changes, limit);
      if (changes.length >= limit) break;
    }
    return changes;
  }
  if (JSON.stringify(from) !== JSON.stringify(to))
    changes.push({ path: path || '(root)', op: 'changed', from, to });
  return changes;
}
