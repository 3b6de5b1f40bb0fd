// Three tiers, chosen by file name: *.unit.spec.ts (no services), *.int.spec.ts (real
// PostgreSQL and Redis), *.e2e.spec.ts (real API and worker processes).
const fs = require('node:fs');
const swcrc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));

const shared = {
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  moduleNameMapper: {
    '^@verity/(domain|event-store|projections|integrations|platform)$': '<rootDir>/libs/$1/src',
    '^@verity/(domain|event-store|projections|integrations|platform)/(.*)$': '<rootDir>/libs/$1/src/$2',
  },
  testEnvironment: 'node',
  rootDir: __dirname,
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};

module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/**/*.unit.spec.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/**/*.int.spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
      setupFilesAfterEnv: [
        '<rootDir>/test/support/timeouts.ts',
        '<rootDir>/test/support/database-per-file.ts',
      ],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/**/*.e2e.spec.ts'],
      globalSetup: '<rootDir>/test/e2e-global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
      setupFilesAfterEnv: [
        '<rootDir>/test/support/timeouts.ts',
        '<rootDir>/test/support/database-per-file.ts',
      ],
    },
  ],
};
