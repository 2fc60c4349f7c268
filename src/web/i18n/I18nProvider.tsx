import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import dayjs from 'dayjs';
import { setApiLanguage } from '../api/client';
import 'dayjs/locale/zh-cn';
import en from './en';
import zhCN from './zh-CN';
import { I18nContext, LANG_STORAGE_KEY, hasKey, isLang, makeTranslate, type I18nValue, type Lang } from './context';

const DICTIONARIES = { 'zh-CN': zhCN, en } as const;

function readStoredLang(): Lang {
  try {
    const stored = window.localStorage.getItem(LANG_STORAGE_KEY);
    if (isLang(stored)) return stored;
  } catch {
    // storage unavailable (private mode); fall through to default
  }
  return 'zh-CN';
}

function applyLang(lang: Lang): void {
  dayjs.locale(lang === 'zh-CN' ? 'zh-cn' : 'en');
  setApiLanguage(lang);
  document.documentElement.lang = lang;
}

// Set before first render so dates format correctly from the start.
applyLang(readStoredLang());

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(readStoredLang);

  const setLang = useCallback((next: Lang) => {
    try {
      window.localStorage.setItem(LANG_STORAGE_KEY, next);
    } catch {
      // ignore: the choice still applies for this tab
    }
    applyLang(next);
    setLangState(next);
  }, []);

  useEffect(() => {
    applyLang(lang);
    document.title = `${DICTIONARIES[lang]['app.name']} · ${DICTIONARIES[lang]['app.subtitle']}`;
  }, [lang]);

  const value = useMemo<I18nValue>(
    () => ({ lang, setLang, t: makeTranslate(DICTIONARIES[lang]), has: hasKey }),
    [lang, setLang],
  );

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}
