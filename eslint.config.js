// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

// The domain is pure: no framework, no I/O, no clock, no randomness (docs/adr/0002).
const domainForbiddenImports = {
  paths: [
    { name: 'pg', message: 'libs/domain is pure: no database access.' },
    { name: 'bullmq', message: 'libs/domain is pure: no queues.' },
    { name: 'ioredis', message: 'libs/domain is pure: no Redis.' },
    { name: 'crypto', message: 'libs/domain is pure: ids and hashes come in through the context.' },
    { name: 'node:crypto', message: 'libs/domain is pure: ids and hashes come in through the context.' },
  ],
  patterns: [
    { group: ['@nestjs/*'], message: 'libs/domain is pure: no Nest.' },
    { group: ['pg/*', 'pg-*'], message: 'libs/domain is pure: no database access.' },
    {
      group: ['fs', 'node:*', 'http', 'https', 'net', 'child_process'],
      message: 'libs/domain is pure: no I/O.',
    },
    {
      group: ['@verity/event-store*', '@verity/projections*', '@verity/platform*'],
      message: 'libs/domain depends on nothing else of ours.',
    },
    { group: ['**/apps/**', '@verity/api*', '@verity/worker*'], message: 'A lib never imports an app.' },
  ],
};
const domainForbiddenSyntax = [
  {
    selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
    message: 'libs/domain never reads the clock: take `now` from the context.',
  },
  {
    selector: "NewExpression[callee.name='Date'][arguments.length=0]",
    message: 'libs/domain never reads the clock: take `now` from the context.',
  },
  {
    selector: "CallExpression[callee.object.name='performance'][callee.property.name='now']",
    message: 'libs/domain never reads the clock.',
  },
  {
    selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
    message: 'libs/domain never uses randomness: take ids from the context.',
  },
  {
    selector: "CallExpression[callee.name='randomUUID']",
    message: 'libs/domain never makes ids: take them from the context.',
  },
  {
    selector: "CallExpression[callee.property.name='randomUUID']",
    message: 'libs/domain never makes ids: take them from the context.',
  },
  {
    selector: "CallExpression[callee.property.name='getRandomValues']",
    message: 'libs/domain never uses randomness.',
  },
];

// Test kits (`testing/` folders, test/support) serve tests only: production code that imported one
// would ship fixtures and fakes.
const testKitImports = {
  group: ['**/testing', '**/testing/**', '**/test/support/**'],
  message: 'Production code never imports a test kit (testing/ folders, test/support).',
};
const libImportsNoApp = {
  group: ['**/apps/**', '@verity/api*', '@verity/worker*'],
  message: 'A lib never imports an app.',
};
const productionCode = { ignores: ['**/*.spec.ts', '**/testing/**'] };

// Queries never import commands: the read side (apps/api/src/queries, the read-* use-case folders,
// *.query.ts, *.queries.ts) answers from read models or a replayed stream and never reaches into the
// write path (anything under apps/api/src/commands, command classes, deciders), so no read can decide
// or append. What both sides use lives outside that folder: the store, StreamLoader and etagOf in
// apps/api/src/event-store, the clock in apps/api/src/clock, OrgRelations in apps/api/src/directory,
// PinnedWorkflows in apps/api/src/workflows (docs/adr/0142, 0150).
const queriesImportNoCommands = {
  group: ['**/commands', '**/commands/**', '**/*.command', '**/*.commands', '**/*.decide'],
  message: 'Queries never import commands: a read replays a stream with StreamLoader, it never decides.',
};
const queriesUseNoCommandBus = {
  name: '@nestjs/cqrs',
  importNames: ['CommandBus', 'CommandHandler', 'ICommandHandler'],
  message: 'Queries never import commands: a read goes through the QueryBus, never the CommandBus.',
};
const readSide = {
  files: [
    'apps/api/src/queries/**/*.ts',
    'apps/api/src/**/read-*/**/*.ts',
    '**/*.query.ts',
    '**/*.queries.ts',
  ],
  ...productionCode,
};

module.exports = tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'coverage/**',
      '**/*.js',
      '!eslint.config.js',
      'apps/web/src/api/schema.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['libs/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [libImportsNoApp] }] },
  },
  {
    files: ['libs/**/*.ts'],
    ...productionCode,
    rules: { 'no-restricted-imports': ['error', { patterns: [libImportsNoApp, testKitImports] }] },
  },
  {
    files: ['apps/**/*.ts'],
    ...productionCode,
    rules: { 'no-restricted-imports': ['error', { patterns: [testKitImports] }] },
  },
  {
    // Scripts and benches build on the libs and on an app's public entry point
    // (apps/<app>/src/index.ts), never on its internals, so an app can reorganise its folders freely.
    files: ['bench/**/*.ts', 'infra/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/apps/*/src/*', '**/apps/*/src/**', '!**/apps/*/src/index'],
              message:
                "Scripts and benches use an app's public entry point (apps/<app>/src), not its internals.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', domainForbiddenImports],
      'no-restricted-syntax': ['error', ...domainForbiddenSyntax],
      'no-restricted-globals': [
        'error',
        { name: 'crypto', message: 'libs/domain never uses randomness or hashing itself.' },
        { name: 'process', message: 'libs/domain reads no environment.' },
      ],
    },
  },
  {
    files: ['libs/domain/**/*.ts'],
    ...productionCode,
    rules: {
      'no-restricted-imports': [
        'error',
        { ...domainForbiddenImports, patterns: [...domainForbiddenImports.patterns, testKitImports] },
      ],
    },
  },
  {
    ...readSide,
    ignores: [...productionCode.ignores, 'libs/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [queriesUseNoCommandBus], patterns: [testKitImports, queriesImportNoCommands] },
      ],
    },
  },
  {
    ...readSide,
    files: ['libs/**/*.queries.ts', 'libs/**/*.query.ts'],
    ignores: [...productionCode.ignores, 'libs/domain/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [libImportsNoApp, testKitImports, queriesImportNoCommands] },
      ],
    },
  },
  {
    ...readSide,
    files: ['libs/domain/**/*.queries.ts', 'libs/domain/**/*.query.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...domainForbiddenImports,
          patterns: [...domainForbiddenImports.patterns, testKitImports, queriesImportNoCommands],
        },
      ],
    },
  },
);
