import { z } from 'zod';

const url = (schemes: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return schemes.includes(new URL(value).protocol.replace(/:$/, ''));
      } catch {
        return false;
      }
    },
    `must be a URL starting with ${schemes.map((s) => `${s}://`).join(' or ')}`,
  );

const commaList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

const RUNTIME_DATABASE_URL = 'postgres://verity_app:verity_app@127.0.0.1:5432/verity';
const OWNER_DATABASE_URL = 'postgres://verity:verity@127.0.0.1:5432/verity';

/** Every environment variable Verity reads, with its rule and its local default. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  /** Where the worker's /metrics listens: loopback unless an operator opens it (it has no authentication). */
  WORKER_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** What the API and the worker connect as: a role that owns nothing and only appends to the log. */
  DATABASE_URL: url(['postgres', 'postgresql']).default(RUNTIME_DATABASE_URL),
  /**
   * The owner of the schema, for migrations and for creating databases (docs/adr/0080). Defaults to
   * DATABASE_URL when only that is set, so a single-URL installation keeps working.
   */
  DATABASE_OWNER_URL: url(['postgres', 'postgresql']).optional(),
  /** The tests' database (reached as the owner); the set-up script creates it beside the main one. */
  TEST_DATABASE_URL: url(['postgres', 'postgresql']).optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: url(['redis', 'rediss']).default('redis://127.0.0.1:6379'),
  /**
   * The prefix of the worker's BullMQ keys (timers, webhook deliveries): two installations, or two
   * test runs, sharing one Redis database keep their jobs apart by it.
   */
  REDIS_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - and _ only (1 to 64)')
    .default('bull'),
  EVENT_STORE: z.enum(['postgres', 'kurrentdb']).default('postgres'),
  KURRENTDB_URL: url(['kurrentdb', 'esdb', 'kurrent', 'esdb+discover', 'kurrentdb+discover']).optional(),
  JWT_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters')
    .default('verity-local-development-secret-change-me'),
  JWKS_URL: url(['https', 'http']).optional(),
  /**
   * How long the key set fetched from JWKS_URL is kept, in seconds: a key the issuer withdraws stops
   * verifying tokens within this and a minute (the API's recheck of verified tokens, ADR 0168).
   */
  JWKS_CACHE_MAX_AGE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(600),
  /**
   * The `iss` and `aud` every bearer token must carry (ADR 0175): an identity provider signs tokens
   * for other applications with the same keys, so the key alone does not say the token is meant for
   * us. Required with JWKS_URL; `verity` by default with the local secret, whose tokens we mint ourselves.
   */
  JWT_ISSUER: z.string().min(1).max(500).optional(),
  JWT_AUDIENCE: z.string().min(1).max(500).optional(),
  /**
   * The OpenID Connect issuer people sign in through (authorization code + PKCE), and the web app's
   * client id there. Given to the browser by `GET /auth/config`; the API verifies the issuer's tokens
   * through JWKS_URL (its `jwks_uri`).
   */
  OIDC_ISSUER: url(['https', 'http']).optional(),
  OIDC_CLIENT_ID: z.string().min(1).max(200).optional(),
  /**
   * Longest a bearer token may be valid, in seconds: a token whose `exp` lies further ahead (or
   * whose `exp - iat` is longer) is refused, so a leaked long-lived token cannot be used for years.
   */
  JWT_MAX_LIFETIME_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(30 * 24 * 3600)
    .default(24 * 3600),
  /** Requests one credential (or one address without one) may make per window before it gets 429. */
  RATE_LIMIT_REQUESTS: z.coerce.number().int().min(1).max(1_000_000).default(200),
  /** The rate limit's window in milliseconds (a test uses a long window so that its limit cannot be missed on a slow machine). */
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(100).max(3_600_000).default(1000),
  /** Failed authentications one client address may make per minute before it gets 429 (any credential). */
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(300),
  WEBHOOK_ALLOWLIST: commaList,
  SMTP_URL: url(['smtp', 'smtps']).optional(),
  MAIL_FROM: z.string().default('Verity <noreply@verity.local>'),
  /**
   * `manual`: the worker's timer clock stands still and moves only when an end-to-end test tells it
   * to (one timer at a time over Redis, ADR 0130), so day-based reminders and escalations are checked
   * in order on any machine. `system` in production.
   */
  TIMERS_CLOCK: z.enum(['system', 'manual']).default('system'),
  /**
   * The Ed25519 key that signs the audit checkpoints (docs/audit-proofs.md): its 32-byte seed in
   * base64. Never stored in the database. The default is for development only (its public key is in
   * the repository, so its signatures prove nothing); production must set it.
   */
  AUDIT_SIGNING_KEY: z
    .string()
    .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be a 32-byte Ed25519 seed in base64')
    .default('dmVyaXR5LWRldmVsb3BtZW50LWF1ZGl0LWtleS0wMDA='),
  /**
   * The master key (32 bytes, base64) that wraps each person's data key; every `pii` field of the log
   * is encrypted with its person's data key (docs/adr/0115-crypto-shredding.md). Never stored in the
   * database. The default is for development only; production must set it, and keep it: without it
   * no personal data already stored can be read.
   */
  PII_MASTER_KEY: z
    .string()
    .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes in base64')
    .default('dmVyaXR5LWRldmVsb3BtZW50LXBpaS1rZXktMDAwMDA='),
  /**
   * Master keys rotated out (32 bytes each, base64, comma-separated): tried when a data key does not
   * open with `PII_MASTER_KEY`, until `npm run pii:rewrap-keys` has wrapped every data key under it
   * (docs/adr/0100). Empty once a rotation is done.
   */
  PII_RETIRED_MASTER_KEYS: commaList.refine(
    (keys) => keys.every((key) => Buffer.from(key, 'base64').length === 32),
    'each must be 32 bytes in base64',
  ),
  /** Public keys (32 bytes, base64) of signing keys rotated out, still served to verify older checkpoints. */
  AUDIT_RETIRED_PUBLIC_KEYS: commaList,
  /** How often the worker signs a checkpoint for each tenant whose log grew; 0 turns it off. */
  AUDIT_CHECKPOINT_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /**
   * Runs one part of the worker only: `process-managers` (the demo seed runs them alone while it
   * writes months of history, which the timers should see in one pass afterwards). Unset: all.
   */
  WORKER_ONLY: z.enum(['process-managers']).optional(),
});

export type Config = z.infer<typeof configSchema> & {
  DATABASE_OWNER_URL: string;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
};

/** The issuer and audience of the tokens signed with JWT_SECRET when no JWKS_URL is set (ADR 0175). */
export const LOCAL_TOKEN_ISSUER = 'verity';
export const LOCAL_TOKEN_AUDIENCE = 'verity';

/** The tests' database URL: TEST_DATABASE_URL, or the owner URL's database with `_test` appended. */
export function testDatabaseUrl(config: Pick<Config, 'DATABASE_OWNER_URL' | 'TEST_DATABASE_URL'>): string {
  if (config.TEST_DATABASE_URL) return config.TEST_DATABASE_URL;
  const url = new URL(config.DATABASE_OWNER_URL);
  url.pathname = `${url.pathname.replace(/^\//, '') || 'verity'}_test`;
  return url.toString();
}

/** Thrown when the environment breaks a rule; its message is one line naming the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment once; call it at start and pass the result down. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (result.success) {
    if (result.data.NODE_ENV === 'production' && !env.JWT_SECRET && !result.data.JWKS_URL) {
      throw new ConfigError(
        'Invalid configuration: JWT_SECRET or JWKS_URL must be set when NODE_ENV=production',
      );
    }
    if (result.data.NODE_ENV === 'production' && result.data.TIMERS_CLOCK !== 'system') {
      throw new ConfigError('Invalid configuration: TIMERS_CLOCK must be system when NODE_ENV=production');
    }
    if (result.data.NODE_ENV === 'production' && !env.AUDIT_SIGNING_KEY) {
      throw new ConfigError('Invalid configuration: AUDIT_SIGNING_KEY must be set when NODE_ENV=production');
    }
    if (result.data.NODE_ENV === 'production' && !env.PII_MASTER_KEY) {
      throw new ConfigError('Invalid configuration: PII_MASTER_KEY must be set when NODE_ENV=production');
    }
    if (result.data.EVENT_STORE === 'kurrentdb' && !result.data.KURRENTDB_URL) {
      throw new ConfigError('Invalid configuration: KURRENTDB_URL must be set when EVENT_STORE=kurrentdb');
    }
    for (const variable of ['JWT_ISSUER', 'JWT_AUDIENCE'] as const) {
      if (result.data.JWKS_URL && !result.data[variable]) {
        throw new ConfigError(`Invalid configuration: ${variable} must be set when JWKS_URL is set`);
      }
    }
    const owner =
      result.data.DATABASE_OWNER_URL ?? (env.DATABASE_URL ? result.data.DATABASE_URL : OWNER_DATABASE_URL);
    return {
      ...result.data,
      DATABASE_OWNER_URL: owner,
      JWT_ISSUER: result.data.JWT_ISSUER ?? LOCAL_TOKEN_ISSUER,
      JWT_AUDIENCE: result.data.JWT_AUDIENCE ?? LOCAL_TOKEN_AUDIENCE,
    };
  }
  const issue = result.error.issues[0];
  const variable = issue.path.join('.') || 'environment';
  throw new ConfigError(`Invalid configuration: ${variable} ${issue.message}`);
}

/** Loads the configuration or ends the process with one line on stderr, never a stack trace. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}
