import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import { catalogues } from './catalogues';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The browser's language first (a choice made with the switch is remembered), English otherwise. */
void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: {
      en: { translation: catalogues.en },
      'zh-CN': { translation: catalogues['zh-CN'] },
    },
    supportedLngs: [...LANGUAGES],
    nonExplicitSupportedLngs: false,
    load: 'currentOnly',
    fallbackLng: { zh: ['zh-CN'], default: ['en'] },
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

export default i18n;
