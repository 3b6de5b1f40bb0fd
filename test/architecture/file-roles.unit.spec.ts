import { execFileSync } from 'node:child_process';
import path from 'node:path';

// One suffix per role (docs/adr/0129-one-suffix-per-role.md): a Nest controller is always
// `*.http.controller.ts`, so a reader finds every HTTP entry point by its name.
const root = path.resolve(__dirname, '../..');
const tracked = execFileSync('git', ['ls-files', 'apps', 'libs'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter(Boolean);

describe('file roles', () => {
  it('finds the files it checks', () => {
    expect(tracked.filter((file) => file.endsWith('.http.controller.ts')).length).toBeGreaterThan(10);
  });

  it('names every controller *.http.controller.ts', () => {
    const others = tracked.filter(
      (file) => file.endsWith('controller.ts') && !file.endsWith('.http.controller.ts'),
    );
    expect(others).toEqual([]);
  });
});
