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
 * Each language's whole catalogue (the people-in-the-process screens' messages and the
 * administration screens'), as catalogues.ts merges them, in a chunk of its own: the first load
 * carries only the language in force, the other loads when the switch asks for it.
 */
const CATALOGUES: Record<Language, () => Promise<Record<string, unknown>>> = {
  en: () =>
    Promise.all([import('./en'), import('./administration.en')]).then(([people, administration]) => ({
      ...people.en,
      ...administration.administrationEn,
    })),
  'zh-CN': () =>
    Promise.all([import('./zh-CN'), import('./administration.zh-CN'), import('antd/es/locale/zh_CN')]).then(
      ([people, administration, antd]) => {
        antdLocales['zh-CN'] = antd.default;
        return { ...people.zhCN, ...administration.administrationZhCN };
      },
    ),
};

/** i18next reads a language's catalogue through this before switching to it (and before `ready`). */
const lazyCatalogues: BackendModule = {
  type: 'backend',
  init: () => undefined,
  read(language, _namespace, callback) {
    const load = CATALOGUES[language as Language];
    if (!load) return callback(null, {});
    load().then(
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
