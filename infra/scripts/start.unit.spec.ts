import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as seed from './seed-demo';

// start.js is plain JavaScript (it runs before anything is compiled), so nothing type-checks what it
// asks of the seed module: an option renamed on the TypeScript side once made every `npm start`
// run without its demo tenant. It passes the configuration alone, to functions checked here.
describe('npm start (infra/scripts/start.js)', () => {
  const source = readFileSync(path.join(__dirname, 'start.js'), 'utf8');
  const called = [...source.matchAll(/\bseed\.(\w+)\(/g)].map((match) => match[1]);

  it('seeds the demo through seedConfiguredDemo, with the configuration and its abort signal', () => {
    expect(source).toContain('seed.seedConfiguredDemo(config, aborted.signal)');
  });

  it('calls only functions the seed module exports', () => {
    const exported = seed as unknown as Record<string, unknown>;
    expect(called.length).toBeGreaterThan(0);
    expect(called.filter((name) => typeof exported[name] !== 'function')).toEqual([]);
  });
});
