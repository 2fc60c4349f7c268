import { Segmented } from 'antd';
import { LANGS, useLang, useT, type Lang } from '../i18n/context';

/** Short labels, each in its own language (like any language picker). */
const SHORT: Record<Lang, string> = { 'zh-CN': '中文', en: 'EN' };

/** Two-way language toggle; the choice is stored in localStorage `jk.lang`. */
export function LanguageSwitch({ size = 'middle' }: { size?: 'small' | 'middle' }) {
  const { lang, setLang } = useLang();
  const t = useT();
  return (
    <Segmented<Lang>
      size={size}
      value={lang}
      onChange={setLang}
      aria-label={t('lang.label')}
      data-testid="lang-switch"
      options={LANGS.map((code) => ({
        value: code,
        title: t(`lang.${code}`),
        label: <span data-testid={`lang-${code}`}>{SHORT[code]}</span>,
      }))}
    />
  );
}
