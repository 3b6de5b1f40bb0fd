import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { closeOnSignals, loadConfigOrExit } from '@verity/platform';
import { createApi } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await createApi(config);
  const logger = app.get(Logger);
  closeOnSignals(app, logger);
  await app.listen(config.PORT, config.HOST);
  logger.log(`API listening on http://${config.HOST}:${config.PORT} (docs at /docs, health at /health)`);
}

void main();
