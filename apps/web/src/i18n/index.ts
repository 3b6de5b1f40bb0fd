import i18n, { type BackendModule } from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import type { Locale } from 'antd/es/locale';
// The ES modules of the locales: `antd/locale/*` are CommonJS and pull a second copy of shared code.
// English is antd's own default (in the entry whatever we do); Chinese comes with its catalogue.
import enUS from 'antd/es/locale/en_US';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** antd's words (dates, pagination, empty lists) for each language whose catalogue is loaded. */
const antdLocales: Partial<Record<Language, Locale>> = { en: enUS };

/**
 * Each language's catalogue of the people-in-the-process screens in a chunk of its own: the first
 * load carries only the language in force, the other loads when the switch asks for it.
 */
const CATALOGUES: Record<Language, () => Promise<Record<string, unknown>>> = {
  en: () => import('./en').then((people) => people.en),
  'zh-CN': () =>
    Promise.all([import('./zh-CN'), import('antd/es/locale/zh_CN')]).then(([people, antd]) => {
      antdLocales['zh-CN'] = antd.default;
      return people.zhCN;
    }),
};

/**
 * The administration screens' words (HR, process owners, auditors, integrators): a chunk of their
 * own too, loaded with the first of those screens, and from then on with every language read.
 */
const ADMINISTRATION: Record<Language, () => Promise<Record<string, unknown>>> = {
  en: () => import('./administration.en').then((m) => m.administrationEn),
  'zh-CN': () => import('./administration.zh-CN').then((m) => m.administrationZhCN),
};
let administrationWanted = false;

/** The catalogue i18next reads for a language: the people's, and the administration's once wanted. */
function catalogueOf(language: Language): Promise<Record<string, unknown>> {
  if (!administrationWanted) return CATALOGUES[language]();
  return Promise.all([CATALOGUES[language](), ADMINISTRATION[language]()]).then(
    ([people, administration]) => ({
      ...people,
      ...administration,
    }),
  );
}

/**
 * Resolves with `screen` once the administration catalogue is in for every language already read
 * (a screen's lazy import goes through this, so it never renders a key in place of its words).
 */
export function withAdministration<T>(screen: Promise<T>): Promise<T> {
  administrationWanted = true;
  const loaded = LANGUAGES.filter((language) => i18n.hasResourceBundle(language, 'translation'));
  return Promise.all([
    screen,
    ...loaded.map((language) =>
      ADMINISTRATION[language]().then((words) =>
        i18n.addResourceBundle(language, 'translation', words, true, false),
      ),
    ),
  ]).then(([loadedScreen]) => loadedScreen);
}

/** i18next reads a language's catalogue through this before switching to it (and before `ready`). */
const lazyCatalogues: BackendModule = {
  type: 'backend',
  init: () => undefined,
  read(language, _namespace, callback) {
    if (!(language in CATALOGUES)) return callback(null, {});
    catalogueOf(language as Language).then(
      (catalogue) => callback(null, catalogue),
      (error: Error) => callback(error, null),
    );
  },
};

/**
 * The browser's language first (a choice made with the switch is remembered), English otherwise.
 * main.tsx renders once this has settled: the first screen never shows a key in place of its words.
 */
export const ready = i18n
  .use(LanguageDetector)
  .use(lazyCatalogues)
  .use(initReactI18next)
  .init({
    supportedLngs: [...LANGUAGES],
    nonExplicitSupportedLngs: false,
    load: 'currentOnly',
    // Each catalogue is complete (test/web/i18n-catalogue.unit.spec.ts): a Chinese reader needs no English one behind it.
    fallbackLng: { zh: ['zh-CN'], 'zh-CN': [], default: ['en'] },
    detection: {
      order: ['querystring', 'localStorage', 'navigator'],
      lookupQuerystring: 'lang',
      caches: ['localStorage'],
    },
    interpolation: { escapeValue: false },
  });

/** The language in force, one of ours (a browser's `zh` or `zh-TW` reads as zh-CN). */
export function currentLanguage(): Language {
  return i18n.resolvedLanguage === 'zh-CN' ? 'zh-CN' : 'en';
}

/** antd's locale for the language in force (loaded with its catalogue, before i18next switches to it). */
export function antdLocale(): Locale {
  return antdLocales[currentLanguage()] ?? enUS;
}

export default i18n;
