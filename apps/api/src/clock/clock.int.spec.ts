import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { Config } from '@verity/platform';
import { bearer, startTestApi, tokenFor } from '../testing/api-test-kit';
import { CLOCK, type Clock } from './clock';

// Reads that say "now" (the inbox's `at`, the audit verification's `verifiedAt`, the directory and
// relations as of today) take it from the API's one clock, as the commands do: a test or a replay
// that sets the clock sees the same instant everywhere.
describe('the API reads the time from its clock', () => {
  let app: INestApplication;
  let config: Config;
  let clock: Clock;
  let systemNow: Clock['now'];
  const tenant = `clock-${randomUUID().slice(0, 8)}`;
  const at = new Date('2031-05-06T07:08:09.000Z');

  beforeAll(async () => {
    ({ app, config } = await startTestApi());
    clock = app.get<Clock>(CLOCK);
    systemNow = clock.now;
    clock.now = () => new Date(at);
  });
  afterAll(async () => {
    clock.now = systemNow;
    await app.close();
  });

  it('stamps the inbox and an audit verification with the clock’s time', async () => {
    const hr = await tokenFor(config, { role: 'hr', tenant, sub: 'hr-1' });
    const inbox = await request(app.getHttpServer()).get('/inbox').set(bearer(hr)).expect(200);
    expect(inbox.body.at).toBe(at.toISOString());
    const verified = await request(app.getHttpServer()).get('/audit/verify').set(bearer(hr)).expect(200);
    expect(verified.body.verifiedAt).toBe(at.toISOString());
  });
});
