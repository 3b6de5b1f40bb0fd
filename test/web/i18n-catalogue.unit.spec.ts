import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { catalogues as merged } from '../../apps/web/src/i18n/catalogues';

/**
 * Both catalogues of the web app are complete: the same keys, each a non-empty string with the same
 * `{{placeholders}}`, and every key the screens ask for (`t('plan.submit')`, `i18nKey`, menu labels)
 * exists in both. A key left out of either catalogue would show its raw name on a screen.
 */
type Tree = { [key: string]: string | Tree };
const SOURCE = path.resolve(__dirname, '../../apps/web/src');

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(name, value);
    else for (const [inner, text] of flatten(value, name)) out.set(inner, text);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'i18n' ? [] : sources(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Keys named in the code: t('a.b'), t(`a.${x}`) (its prefix), and `label: 'nav.x'` entries of menus. */
function keysUsed(): { exact: Set<string>; prefixes: Set<string> } {
  const exact = new Set<string>();
  const prefixes = new Set<string>();
  for (const file of sources(SOURCE)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bt\(\s*'([\w.-]+)'/g)) exact.add(m[1]);
    for (const m of text.matchAll(/\bt\(\s*`([\w.-]+)\.\$\{/g)) prefixes.add(m[1]);
    for (const m of text.matchAll(/\blabel: '([a-z]+\.[\w.-]+)'/g)) exact.add(m[1]);
    // A ternary choosing between two keys: t(cond ? 'a.b' : 'a.c').
    for (const m of text.matchAll(/\bt\([^()]*?\?\s*'([\w.-]+)'\s*:\s*'([\w.-]+)'/g)) {
      exact.add(m[1]);
      exact.add(m[2]);
    }
  }
  return { exact, prefixes };
}

const catalogues = {
  en: flatten(merged.en as Tree),
  'zh-CN': flatten(merged['zh-CN'] as unknown as Tree),
};

describe('the web app speaks zh-CN and en completely', () => {
  it('has the same keys in both catalogues, none empty, with the same placeholders', () => {
    const missingInZh = [...catalogues.en.keys()].filter((key) => !catalogues['zh-CN'].has(key));
    const missingInEn = [...catalogues['zh-CN'].keys()].filter((key) => !catalogues.en.has(key));
    expect({ missingInZh, missingInEn }).toEqual({ missingInZh: [], missingInEn: [] });
    const empty = [...Object.entries(catalogues)].flatMap(([language, messages]) =>
      [...messages].filter(([, text]) => text.trim() === '').map(([key]) => `${language} ${key}`),
    );
    expect(empty).toEqual([]);
    const mismatched = [...catalogues.en].filter(
      ([key, text]) => placeholders(text).join() !== placeholders(catalogues['zh-CN'].get(key) ?? '').join(),
    );
    expect(mismatched.map(([key]) => key)).toEqual([]);
  });

  it('has every key the screens ask for, in both languages', () => {
    const { exact, prefixes } = keysUsed();
    // The scan finds the keys: were it broken, nothing would be checked.
    expect(exact.size).toBeGreaterThan(50);
    expect([...prefixes]).toEqual(expect.arrayContaining(['roles', 'statuses']));
    for (const [language, messages] of Object.entries(catalogues)) {
      const missing = [...exact].filter((key) => !messages.has(key));
      const missingGroups = [...prefixes].filter(
        (prefix) => ![...messages.keys()].some((key) => key.startsWith(`${prefix}.`)),
      );
      expect({ language, missing, missingGroups }).toEqual({ language, missing: [], missingGroups: [] });
    }
  });

  it('names every role the sign-in can hand out and every status the screens show', () => {
    const roles = ['employee', 'manager', 'hr', 'process-owner', 'auditor', 'integrator', 'admin'];
    const statuses = ['draft', 'submitted', 'returned', 'approved', 'pending', 'filed', 'assessed', 'scored'];
    for (const messages of Object.values(catalogues)) {
      expect(roles.filter((role) => !messages.has(`roles.${role}`))).toEqual([]);
      expect(statuses.filter((status) => !messages.has(`statuses.${status}`))).toEqual([]);
    }
  });
});
