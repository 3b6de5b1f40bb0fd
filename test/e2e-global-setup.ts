import { execFileSync } from 'node:child_process';
import path from 'node:path';
import globalSetup from './global-setup';

/** End-to-end tests run the compiled apps as real processes: migrate, then build once (the web app too). */
export default async function e2eGlobalSetup(globalConfig: { maxWorkers: number }): Promise<void> {
  await globalSetup(globalConfig);
  const root = path.resolve(__dirname, '..');
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  execFileSync(
    process.execPath,
    [
      path.join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'apps/web/vite.config.mts',
      '--logLevel',
      'warn',
    ],
    // Jest sets NODE_ENV=test, which would build React's development bundle: test what ships.
    { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
  );
}
