import { en } from './en';
import { zhCN } from './zh-CN';
import { administrationEn } from './administration.en';
import { administrationZhCN } from './administration.zh-CN';

/**
 * The whole catalogue of each language: the people-in-the-process screens' messages and the
 * administration screens' (kept in files of their own), merged once here for the app and its
 * completeness test alike.
 */
export const catalogues = {
  en: { ...en, ...administrationEn },
  'zh-CN': { ...zhCN, ...administrationZhCN },
};
