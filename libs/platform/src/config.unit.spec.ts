import { ConfigError, loadConfig, testDatabaseUrl } from './config';

describe('configuration', () => {
  it('has defaults that work on a local machine', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBe('postgres://verity_app:verity_app@127.0.0.1:5432/verity');
    expect(config.DATABASE_OWNER_URL).toBe('postgres://verity:verity@127.0.0.1:5432/verity');
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.PORT).toBe(3000);
    expect(config.WORKER_METRICS_HOST).toBe('127.0.0.1');
    expect(testDatabaseUrl(config)).toBe('postgres://verity:verity@127.0.0.1:5432/verity_test');
  });

  it('runs as the runtime role and migrates as the owner; one URL alone serves both', () => {
    const both = loadConfig({
      DATABASE_URL: 'postgres://app:a@db:5432/prod',
      DATABASE_OWNER_URL: 'postgres://owner:o@db:5432/prod',
    });
    expect([both.DATABASE_URL, both.DATABASE_OWNER_URL]).toEqual([
      'postgres://app:a@db:5432/prod',
      'postgres://owner:o@db:5432/prod',
    ]);
    expect(testDatabaseUrl(both)).toBe('postgres://owner:o@db:5432/prod_test');
    const one = loadConfig({ DATABASE_URL: 'postgres://me:m@db:5432/prod' });
    expect(one.DATABASE_OWNER_URL).toBe('postgres://me:m@db:5432/prod');
  });

  it.each([
    [
      'DATABASE_URL',
      'not-a-url',
      /^Invalid configuration: DATABASE_URL must be a URL starting with postgres:\/\//,
    ],
    ['REDIS_URL', 'http://x', /^Invalid configuration: REDIS_URL must be a URL starting with redis:\/\//],
    ['PORT', '70000', /^Invalid configuration: PORT /],
    ['LOG_LEVEL', 'loud', /^Invalid configuration: LOG_LEVEL /],
    ['JWT_SECRET', 'short', /^Invalid configuration: JWT_SECRET must be at least 32 characters/],
  ])('rejects a wrong %s in one line naming it', (variable, value, message) => {
    let thrown: unknown;
    try {
      loadConfig({ [variable]: value });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).not.toContain('\n');
  });

  it('asks for a real secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow('JWT_SECRET or JWKS_URL must be set');
  });

  it('keeps the timer clock real in production', () => {
    expect(loadConfig({}).TIMERS_CLOCK).toBe('system');
    expect(loadConfig({ TIMERS_CLOCK: 'manual' }).TIMERS_CLOCK).toBe('manual');
    expect(() => loadConfig({ TIMERS_CLOCK: 'fast' })).toThrow('TIMERS_CLOCK');
    expect(() =>
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), TIMERS_CLOCK: 'manual' }),
    ).toThrow('TIMERS_CLOCK must be system when NODE_ENV=production');
  });

  it('asks for an audit signing key of its own in production, and refuses one that is no Ed25519 seed', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) })).toThrow(
      'AUDIT_SIGNING_KEY must be set when NODE_ENV=production',
    );
    expect(() => loadConfig({ AUDIT_SIGNING_KEY: 'c2hvcnQ=' })).toThrow(
      'AUDIT_SIGNING_KEY must be a 32-byte Ed25519 seed in base64',
    );
  });

  it('asks for a pii master key of its own in production, and refuses one that is not 32 bytes', () => {
    const signing = Buffer.alloc(32, 1).toString('base64');
    expect(() =>
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), AUDIT_SIGNING_KEY: signing }),
    ).toThrow('PII_MASTER_KEY must be set when NODE_ENV=production');
    expect(() => loadConfig({ PII_MASTER_KEY: 'c2hvcnQ=' })).toThrow(
      'PII_MASTER_KEY must be 32 bytes in base64',
    );
  });
});
