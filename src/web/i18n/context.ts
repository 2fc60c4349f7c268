import { createContext, useContext } from 'react';
import zhCN, { type MessageKey, type Messages } from './zh-CN';

export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];
export const LANG_STORAGE_KEY = 'jk.lang';

export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

export interface I18nValue {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
  /** Narrow a computed key (e.g. `role.${code}`) to a known message key. */
  has: (key: string) => key is MessageKey;
}

export function isLang(value: unknown): value is Lang {
  return value === 'zh-CN' || value === 'en';
}

export function format(template: string, vars?: Vars): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole,
  );
}

export function makeTranslate(messages: Messages): Translate {
  return (key, vars) => format(messages[key], vars);
}

const hasKey = (key: string): key is MessageKey => Object.prototype.hasOwnProperty.call(zhCN, key);

export const I18nContext = createContext<I18nValue>({
  lang: 'zh-CN',
  setLang: () => undefined,
  t: makeTranslate(zhCN),
  has: hasKey,
});

export { hasKey };

/** The translate function for the current language. */
export function useT(): Translate {
  return useContext(I18nContext).t;
}

/** Current language and setter (persists to localStorage `jk.lang`). */
export function useLang(): Pick<I18nValue, 'lang' | 'setLang'> {
  const { lang, setLang } = useContext(I18nContext);
  return { lang, setLang };
}

export function useI18n(): I18nValue {
  return useContext(I18nContext);
}
