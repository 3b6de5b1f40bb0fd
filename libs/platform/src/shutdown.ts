import type { INestApplicationContext, LoggerService } from '@nestjs/common';

/**
 * Closes the application on SIGTERM or SIGINT and exits 0. Nest's own shutdown hooks re-raise
 * the signal after closing, which makes the exit code 130/143; operators and CI read that as a crash.
 */
export function closeOnSignals(
  app: INestApplicationContext,
  logger: LoggerService,
  timeoutMs = 15_000,
): void {
  let closing = false;
  const close = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal} received: shutting down`);
    const timer = setTimeout(() => {
      logger.error(`shutdown took over ${timeoutMs} ms: exiting`);
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    app.close().then(
      () => {
        logger.log('stopped cleanly');
        process.exit(0);
      },
      (error: Error) => {
        logger.error(`shutdown failed: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', close);
  process.once('SIGINT', close);
}
