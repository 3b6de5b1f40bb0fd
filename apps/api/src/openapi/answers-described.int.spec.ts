import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startTestApi } from '../testing/api-test-kit';
import { routeTable } from '../testing/route-table';

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }>; headers?: object }>;
}

/**
 * Every route's success answer is described in the OpenAPI document (ADR 0143, 0152): the web
 * app's types come from it, and a route without one gives the web `undefined`. Generated from the
 * Nest route table, so a route added later without a description fails here.
 */
describe('every route describes its answer', () => {
  let app: INestApplication;
  let paths: Record<string, Record<string, Operation>>;
  beforeAll(async () => {
    ({ app } = await startTestApi());
    paths = (await request(app.getHttpServer()).get('/openapi.json')).body.paths;
  });
  afterAll(() => app.close());

  it('in the OpenAPI document: a 2xx answer with a content type and a schema (or a 204)', () => {
    const routes = routeTable(app).filter((route) => route.guarded);
    expect(routes.length).toBeGreaterThan(40);
    const undescribed = routes
      .filter((route) => {
        const operation =
          paths[route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')]?.[route.method.toLowerCase()];
        const successes = Object.entries(operation?.responses ?? {}).filter(([status]) => /^2/.test(status));
        // A 204 says "no body" by its status; every other success names its content.
        return !successes.some(
          ([status, answer]) =>
            status === '204' ||
            Object.values(answer.content ?? {}).some((media) => media.schema !== undefined),
        );
      })
      .map((route) => `${route.method} ${route.path}`);
    expect(undescribed).toEqual([]);
  });
});
