import { useMemo } from 'react';
import { useI18n } from './context';

/** Translated labels for server-provided codes, falling back to the code (or server name). */
export interface Labels {
  role: (code: string, serverName?: string) => string;
  /** Role label from a role record: our translation for built-ins, else the server's name in the UI language. */
  roleOf: (role: { code: string; name: string; nameZh?: string; nameEn?: string }) => string;
  permission: (code: string) => string;
  permissionDomain: (domain: string) => string;
  orgType: (code: string) => string;
  orgLevel: (code: string) => string;
  regionLevel: (code: string) => string;
  /** Region display: name, or "National" for the empty code. */
  region: (code: string | null | undefined, name: string | null | undefined) => string;
  relation: (code: string) => string;
  health: (code: string) => string;
  workStatus: (code: string) => string;
  sex: (code: string) => string;
  householdStatus: (code: string) => string;
}

export function useLabels(): Labels {
  const { t, has, lang } = useI18n();
  return useMemo<Labels>(() => {
    const lookup = (key: string, fallback: string) => (has(key) ? t(key) : fallback);
    return {
      role: (code, serverName) => lookup(`role.${code}`, serverName || code),
      roleOf: (r) => lookup(`role.${r.code}`, (lang === 'zh-CN' ? r.nameZh : r.nameEn) || r.name || r.code),
      permission: (code) => lookup(`perm.${code}`, code),
      permissionDomain: (domain) => lookup(`permDomain.${domain}`, domain),
      orgType: (code) => lookup(`orgType.${code}`, code),
      orgLevel: (code) => lookup(`orgLevel.${code}`, code),
      regionLevel: (code) => lookup(`regionLevel.${code}`, code),
      region: (code, name) => (code ? name || code : t('scope.national')),
      relation: (code) => lookup(`relation.${code}`, code),
      health: (code) => lookup(`health.${code}`, code),
      workStatus: (code) => lookup(`work.${code}`, code),
      sex: (code) => lookup(`sex.${code}`, code),
      householdStatus: (code) => lookup(`hhStatus.${code}`, code),
    };
  }, [t, has, lang]);
}
