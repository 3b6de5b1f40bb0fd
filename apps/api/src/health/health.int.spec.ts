import request from 'supertest';
import { INestApplication } from '@nestjs/common';
import { loadConfig } from '@verity/platform';
import { workerDatabaseUrl, workerRedisUrl } from '../../../../test/support/environment';
import { createApi } from '../bootstrap';

describe('GET /health', () => {
  let app: INestApplication;

  afterEach(async () => {
    await app?.close();
  });

  it('reports PostgreSQL and Redis up', async () => {
    app = await createApi(
      loadConfig({ DATABASE_URL: workerDatabaseUrl(), REDIS_URL: workerRedisUrl(), LOG_LEVEL: 'silent' }),
    );
    await app.init();
    const response = await request(app.getHttpServer()).get('/health').expect(200);
    expect(response.body.status).toBe('ok');
    expect(response.body.info.postgres.status).toBe('up');
    expect(response.body.info.redis.status).toBe('up');
  });

  it('answers 503 naming PostgreSQL when it does not answer', async () => {
    app = await createApi(
      loadConfig({
        DATABASE_URL: 'postgres://verity:verity@127.0.0.1:1/verity',
        REDIS_URL: workerRedisUrl(),
        LOG_LEVEL: 'silent',
      }),
    );
    await app.init();
    const response = await request(app.getHttpServer()).get('/health').expect(503);
    expect(response.body.error.postgres.status).toBe('down');
    expect(response.body.info.redis.status).toBe('up');
  });

  it('serves the OpenAPI document', async () => {
    app = await createApi(
      loadConfig({ DATABASE_URL: workerDatabaseUrl(), REDIS_URL: workerRedisUrl(), LOG_LEVEL: 'silent' }),
    );
    await app.init();
    const response = await request(app.getHttpServer()).get('/openapi.json').expect(200);
    expect(response.body.info.title).toBe('Verity API');
    await request(app.getHttpServer()).get('/docs').expect(200);
  });
});
