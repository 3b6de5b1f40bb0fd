import { readFileSync, writeFileSync } from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import { startTestApi } from '../../apps/api/src/testing/api-test-kit';
import { WEB_API_TYPES, webApiTypes } from './web-api-types';

/** `npm run web:api-types` runs this file with WRITE_WEB_API_TYPES=1 to rewrite the types. */
const write = process.env.WRITE_WEB_API_TYPES === '1';

describe("the web app's API types", () => {
  let app: INestApplication;
  beforeAll(async () => ({ app } = await startTestApi()));
  afterAll(() => app.close());

  it('are what openapi-typescript makes of the API’s OpenAPI document (else run `npm run web:api-types`)', () => {
    const expected = webApiTypes(app);
    if (write) writeFileSync(WEB_API_TYPES, expected);
    expect(readFileSync(WEB_API_TYPES, 'utf8')).toBe(expected);
  });

  it('type the routes the web app calls, with their bodies', () => {
    const types = readFileSync(WEB_API_TYPES, 'utf8');
    expect(types).toContain('"/appraisals/{appraisalId}/submit-plan"');
    expect(types).toContain('"/notifications"');
  });
});
