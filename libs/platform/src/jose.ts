/**
 * jose 6 is ESM-only. Node ≥ 20.19 `require`s ESM natively, but jest's module loader cannot (and
 * wraps `module.createRequire`), so take Node's own loader. Import jose from this file only.
 */
const nodeModule = process.getBuiltinModule('node:module') as typeof import('node:module');
export const jose: typeof import('jose') = nodeModule.createRequire(__filename)('jose');
