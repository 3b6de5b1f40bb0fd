/**
 * The ceiling bench:api measures the API against (issue "Performance", item 1): a bare NestJS app on
 * the same HTTP platform, whose one POST route does one pg INSERT over a pool of the same size. No
 * authentication, validation, idempotency, event store or logging: what the framework, the HTTP
 * stack and one database write cost, under the same load tool and connections as the API.
 */
import { Body, Controller, HttpCode, Inject, Module, Param, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { INestApplication } from '@nestjs/common';
import { Pool } from 'pg';

const POOL = Symbol('pool');
/** Its PostgreSQL connections' `application_name`: bench:api charges their backends' CPU to it. */
export const CEILING_APPLICATION = 'bench-ceiling';

@Controller()
class CeilingController {
  constructor(@Inject(POOL) private readonly pool: Pool) {}

  // The shape of the API's busiest command (POST /appraisals/:id/annotations): a body in, a row out.
  @Post('appraisals/:id/annotations')
  @HttpCode(201)
  async annotate(@Param('id') id: string, @Body() body: { text?: unknown }): Promise<{ id: number }> {
    const { rows } = await this.pool.query<{ id: number }>({
      name: 'ceiling-insert',
      text: 'INSERT INTO bench_ceiling (subject, body) VALUES ($1, $2) RETURNING id',
      values: [id, JSON.stringify(body ?? {})],
    });
    return { id: rows[0].id };
  }
}

export async function createCeilingApp(
  databaseUrl: string,
  poolSize: number,
  platform: 'fastify' | 'express',
): Promise<{ app: INestApplication; pool: Pool }> {
  const pool = new Pool({
    connectionString: databaseUrl,
    max: poolSize,
    application_name: CEILING_APPLICATION,
  });
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_ceiling (id bigserial PRIMARY KEY, subject text NOT NULL, body jsonb NOT NULL, at timestamptz NOT NULL DEFAULT now())',
  );
  @Module({ controllers: [CeilingController], providers: [{ provide: POOL, useValue: pool }] })
  class CeilingModule {}
  const app =
    platform === 'fastify'
      ? await NestFactory.create<NestFastifyApplication>(CeilingModule, new FastifyAdapter(), {
          logger: false,
        })
      : await NestFactory.create(CeilingModule, { logger: false });
  return { app, pool };
}
