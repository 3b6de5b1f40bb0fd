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

  it.each([
    [
      "import { CommandExecutor } from '../../commands/command-executor';",
      'apps/api/src/appraisals/read-appraisal/read-appraisal.handler.ts',
    ],
    ["import { CommandBus } from '@nestjs/cqrs';", 'apps/api/src/queries/score/score.http.controller.ts'],
    [
      "import { ExecuteDomainCommand } from '../../commands/execute-domain-command.command';",
      'apps/api/src/cycles/read-cycle/read-cycle.http.controller.ts',
    ],
    [
      "import { ImportDirectoryCommand } from '../import-directory/import-directory.command';",
      'apps/api/src/directory/read-directory/read-directory.http.controller.ts',
    ],
    [
      "import { decideAppraisal } from '@verity/domain/appraisal/appraisal.decide';",
      'libs/projections/src/score/score.queries.ts',
    ],
    [
      "import { decideDirectory } from './directory.decide';",
      'libs/domain/src/directory/directory.queries.ts',
    ],
    // The whole commands folder is the write path, not only the files named above (ADR 0150).
    [
      "import { CommandsModule } from '../commands/commands.module';",
      'apps/api/src/queries/queries.module.ts',
    ],
    [
      "import { commandAnswerOf } from '../../commands/command-answer.response';",
      'apps/api/src/weekly-plans/read-weekly-plans/read-weekly-plans.http.controller.ts',
    ],
    ["import * as commands from '../../commands';", 'apps/api/src/queries/score/score.http.controller.ts'],
  ])('queries never import commands: %s in %s', async (code, file) => {
    expect((await problems(`${code}\nexport const used = 1;\n`, file)).join('\n')).toContain(
      'Queries never import commands',
    );
  });

  it('queries may replay a stream, read the clock, org relations, pinned workflows, ETags and use the QueryBus', async () => {
    const code =
      "import { QueryBus } from '@nestjs/cqrs';\nimport { StreamLoader } from '../../event-store/stream-loader';\n" +
      "import { CLOCK } from '../../clock/clock';\nimport { OrgRelations } from '../../directory/org-relations';\n" +
      "import { PinnedWorkflows } from '../../workflows/pinned-workflows';\nimport { etagOf } from '../../event-store/etag';\n" +
      'export const used = [QueryBus, StreamLoader, CLOCK, OrgRelations, PinnedWorkflows, etagOf];\n';
    expect(await problems(code, 'apps/api/src/appraisals/read-appraisal/read-appraisal.handler.ts')).toEqual(
      [],
    );
    // The write path itself may use the executor.
    const write =
      "import { CommandExecutor } from './command-executor';\nexport const used = CommandExecutor;\n";
    expect(await problems(write, 'apps/api/src/commands/execute-domain-command.handler.ts')).toEqual([]);
  });

  it('the read side keeps the other layer rules', async () => {
    const kit = "import { seedTenant } from '../../testing/tenant-fixture';\nexport const used = 1;\n";
    expect((await problems(kit, 'apps/api/src/queries/inbox/forbidden.ts')).join('\n')).toContain(
      'never imports a test kit',
    );
    const app = "import { createApi } from '../../../../apps/api/src/bootstrap';\nexport const used = 1;\n";
    expect((await problems(app, 'libs/projections/src/inbox/inbox.queries.ts')).join('\n')).toContain(
      'A lib never imports an app',
    );
    const pg = "import { Pool } from 'pg';\nexport const used = 1;\n";
    expect((await problems(pg, 'libs/domain/src/directory/directory.queries.ts')).join('\n')).toContain(
      'no database access',
    );
  });
});
