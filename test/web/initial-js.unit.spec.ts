import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * The first load's JavaScript budget (issue 18: initial JS ≤ 350 KB gzip), kept by a figure that
 * does not depend on the machine's load: the web app is built, and its manifest tells which chunks
 * the employee's first screen (/app/my-appraisal, in English) loads — the entry and its static
 * imports, then the lazy modules that screen opens at once, with theirs. Their gzip size is what the
 * API serves (`npm run bench:web` measures the same files in Chromium).
 */
// Issue 18 asks ≤ 350 KB; ADR 0157 brought it to 288 KB and keeps it there with a small margin.
const BUDGET_KB = 295;
const root = path.resolve(__dirname, '../..');

/**
 * The lazy modules the employee's appraisal opens before it is interactive: the catalogue of the
 * language in force (the administration catalogue is not: ADR 0157), the page (its plan tab is a
 * static import), and the bell. Each must still be a lazy chunk of the build, so a rename fails here
 * instead of leaving it out of the sum.
 */
const FIRST_SCREEN_LAZY = [
  'src/i18n/en.ts',
  'src/features/appraisal/AppraisalPage.tsx',
  'src/app/NotificationsBell.tsx',
];

interface Chunk {
  file: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

describe("the employee's first load", () => {
  const outDir = mkdtempSync(path.join(tmpdir(), 'verity-web-budget-'));
  let manifest: Record<string, Chunk>;

  beforeAll(() => {
    execFileSync(
      process.execPath,
      [
        path.join(root, 'node_modules/vite/bin/vite.js'),
        'build',
        '--config',
        path.join(root, 'apps/web/vite.config.mts'),
        '--outDir',
        outDir,
        '--logLevel',
        'error',
      ],
      // Jest sets NODE_ENV=test, which would build React's development bundle: the served one is measured.
      { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } },
    );
    manifest = JSON.parse(readFileSync(path.join(outDir, '.vite/manifest.json'), 'utf8')) as Record<
      string,
      Chunk
    >;
  }, 180_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  /** A chunk's file and those of everything it imports statically, transitively. */
  function withStaticImports(key: string, files: Set<string>): void {
    const chunk = manifest[key];
    if (!chunk) throw new Error(`${key} is not in the build's manifest`);
    if (files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const imported of chunk.imports ?? []) withStaticImports(imported, files);
  }

  function firstLoad(): Map<string, number> {
    const files = new Set<string>();
    const entries = Object.keys(manifest).filter((key) => manifest[key].isEntry);
    expect(entries).toEqual(['index.html']);
    withStaticImports('index.html', files);
    for (const key of FIRST_SCREEN_LAZY) withStaticImports(key, files);
    return new Map(
      [...files]
        .filter((file) => file.endsWith('.js'))
        .map((file) => [file, gzipSync(readFileSync(path.join(outDir, file))).length / 1024]),
    );
  }

  it('names only modules the build still loads lazily (the sum would leave one out otherwise)', () => {
    for (const key of FIRST_SCREEN_LAZY) expect(manifest[key]?.isDynamicEntry).toBe(true);
  });

  it(`transfers at most ${BUDGET_KB} KB of JavaScript, gzip`, () => {
    const sizes = firstLoad();
    const total = [...sizes.values()].reduce((sum, kb) => sum + kb, 0);
    const detail = [...sizes]
      .sort((a, b) => b[1] - a[1])
      .map(([file, kb]) => `${kb.toFixed(1).padStart(7)} KB  ${file}`)
      .join('\n');
    // Printed whatever the outcome: the figure for a release note, the files to look at when it grows.
    console.log(
      `first load of /app/my-appraisal: ${total.toFixed(1)} KB gzip, ${sizes.size} files\n${detail}`,
    );
    expect(total).toBeLessThanOrEqual(BUDGET_KB);
  });

  it("keeps the other language's catalogue, the administration's, the charts and the message holders out of the first load", () => {
    const files = [...firstLoad().keys()];
    const later = [
      'src/i18n/zh-CN.ts',
      'src/i18n/administration.en.ts',
      'src/i18n/administration.zh-CN.ts',
      'src/app/Chart.tsx',
      'src/app/FeedbackHolders.tsx',
    ];
    for (const key of later) {
      expect(manifest[key]?.isDynamicEntry).toBe(true);
      expect(files).not.toContain(manifest[key].file);
    }
  });

  it("has index.html ask for the first screen's chunks beside the entry, not after it (ADR 0157)", () => {
    const html = readFileSync(path.join(outDir, 'index.html'), 'utf8');
    // The app shell's inline script: the chunks of each screen (R) and of each language (L) it preloads.
    const inline = /var W = (\{.*?\}), R = (\{.*?\}), L = (\{.*?\});/.exec(html);
    expect(inline).not.toBeNull();
    const routes = JSON.parse(inline![2]) as Record<string, string[]>;
    const languages = JSON.parse(inline![3]) as Record<string, string[]>;
    const entry = new Set<string>();
    withStaticImports('index.html', entry);
    const preloaded = new Set(
      [...entry, ...routes['/app/my-appraisal'], ...languages.en].map((url) => url.replace(/^\//, '')),
    );
    expect([...preloaded].filter((file) => file.endsWith('.js')).sort()).toEqual(
      [...firstLoad().keys()].sort(),
    );
    // The words it draws are the catalogue's: the heading the appraisal renders, the sign-in heading.
    const words = JSON.parse(inline![1]) as Record<string, Record<string, string>>;
    expect(words.en).toMatchObject({ name: 'Verity', signIn: 'Sign in', appraisal: 'Appraisal of {{name}}' });
    expect(words['zh-CN'].appraisal).toBe('{{name}} 的考核');
  });
});
