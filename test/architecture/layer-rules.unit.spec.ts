import path from 'node:path';
import { ESLint } from 'eslint';

// The layer rules live in eslint.config.js and run in `npm test` through `npm run lint`;
// this test proves the rules themselves bite, so a later edit cannot quietly disable them.
// The config is handed over directly: jest's VM cannot run ESLint's dynamic import of it.
const eslint = new ESLint({
  cwd: path.resolve(__dirname, '../..'),
  overrideConfigFile: true,
  baseConfig: require('../../eslint.config.js'),
});

async function problems(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.resolve(__dirname, '../..', file) });
  return result.messages.map((message) => `${message.ruleId}: ${message.message}`);
}

describe('layer rules', () => {
  const domainFile = 'libs/domain/src/forbidden.ts';

  it.each([
    ["import { Injectable } from '@nestjs/common';", 'no Nest'],
    ["import { Pool } from 'pg';", 'no database access'],
    ["import { Queue } from 'bullmq';", 'no queues'],
    ["import Redis from 'ioredis';", 'no Redis'],
    ["import { randomUUID } from 'node:crypto';", 'ids and hashes come in through the context'],
    ["import { readFileSync } from 'fs';", 'no I/O'],
    ["import { EventStore } from '@verity/event-store';", 'depends on nothing else of ours'],
  ])('libs/domain refuses %s', async (code, message) => {
    expect((await problems(`${code}\nexport const used = 1;\n`, domainFile)).join('\n')).toContain(message);
  });

  it.each([
    ['export const now = Date.now();', 'never reads the clock'],
    ['export const now = new Date();', 'never reads the clock'],
    ['export const dice = Math.random();', 'never uses randomness'],
    ['export const id = crypto.randomUUID();', 'never'],
  ])('libs/domain refuses `%s`', async (code, message) => {
    expect((await problems(`${code}\n`, domainFile)).join('\n')).toContain(message);
  });

  it('libs/domain may parse a date it was given', async () => {
    expect(await problems('export const parse = (at: string) => new Date(at);\n', domainFile)).toEqual([]);
  });

  it('a lib never imports an app', async () => {
    const found = await problems(
      "import { createApi } from '../../../apps/api/src/bootstrap';\nexport const x = createApi;\n",
      'libs/projections/src/forbidden.ts',
    );
    expect(found.join('\n')).toContain('A lib never imports an app');
  });

  it.each([
    ["import { seedTenant } from '../testing/tenant-fixture';", 'apps/api/src/cycles/forbidden.ts'],
    ["import { specification } from '../testing/specification';", 'libs/domain/src/forbidden.ts'],
    [
      "import { timerOutcomes } from '@verity/projections/timers/testing/timer-fixtures';",
      'libs/integrations/src/forbidden.ts',
    ],
    ["import { eventually } from '../../../test/support/eventually';", 'apps/worker/src/timers/forbidden.ts'],
  ])('production code never imports a test kit: %s in %s', async (code, file) => {
    expect((await problems(`${code}\nexport const used = 1;\n`, file)).join('\n')).toContain(
      'never imports a test kit',
    );
  });

  it('tests and test kits may use test kits', async () => {
    const code = "import { seedTenant } from '../testing/tenant-fixture';\nexport const used = seedTenant;\n";
    expect(await problems(code, 'apps/api/src/cycles/open-cycle.int.spec.ts')).toEqual([]);
    expect(await problems(code, 'apps/api/src/testing/other-kit.ts')).toEqual([]);
  });

  it.each([
    ["import { jose } from '../../apps/api/src/auth/jose';", 'infra/scripts/forbidden.ts'],
    [
      "import { startWebhookDelivery } from '../../apps/worker/src/webhooks/webhook-delivery.runtime';",
      'bench/webhooks/forbidden.ts',
    ],
  ])("scripts and benches use an app's public entry point: %s", async (code, file) => {
    expect((await problems(`${code}\nexport const used = 1;\n`, file)).join('\n')).toContain(
      "use an app's public entry point",
    );
  });

  it("scripts and benches may import an app's public entry point", async () => {
    const code = "import { buildOpenApi } from '../../apps/api/src';\nexport const used = buildOpenApi;\n";
    expect(await problems(code, 'infra/scripts/allowed.ts')).toEqual([]);
  });
});
