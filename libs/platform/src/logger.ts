import type { Config } from './config';

/** pino options shared by the API and the worker: JSON lines, secrets and personal data redacted. */
export function loggerOptions(config: Pick<Config, 'LOG_LEVEL'>, name: string) {
  return {
    name,
    level: config.LOG_LEVEL,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-api-key"]',
        'req.headers.cookie',
        '*.pii',
        '*.secret',
        '*.password',
      ],
      censor: '[redacted]',
    },
  };
}
