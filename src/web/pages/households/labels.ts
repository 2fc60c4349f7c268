import { useMemo } from 'react';
import { useI18n } from '../../i18n/context';

// Labels of the household codes (server: src/server/modules/households/codes.ts), from the
// 'code.*' messages of i18n/areas/search.ts. Unknown codes (an older scheme, an import) show as
// they are rather than disappear.

export const STATUS_CODES = ['draft', 'submitted', 'verified', 'reverifying', 'exited', 'removed'] as const;
export const TYPE_CODES = ['deep', 'relative', 'accident'] as const;
export const CAUSE_CODES = [
  'no_work_capacity',
  'jobless_able',
  'laid_off',
  'uninsured',
  'benefits_missing',
  'serious_illness',
  'natural_disaster',
  'accident',
  'schooling',
  'other',
] as const;
export const GROUP_CODES = [1, 2, 3, 4, 5] as const;
export const BATCH_CODES = ['employment', 'social_insurance', 'medical', 'assistance'] as const;

/** The kinds of code with labels: `code.<kind>.<value>`. */
export type CodeKind =
  | 'status'
  | 'type'
  | 'cause'
  | 'group'
  | 'batch'
  | 'relation'
  | 'health'
  | 'work'
  | 'marital'
  | 'school'
  | 'medical'
  | 'modelWorker'
  | 'hukou'
  | 'housing'
  | 'socialInsurance'
  | 'restructuring'
  | 'measureStatus'
  | 'exitReason'
  | 'removalReason';

/** Ant Design tag colours of the statuses. */
export const STATUS_COLORS: Record<string, string> = {
  draft: 'default',
  submitted: 'gold',
  verified: 'green',
  reverifying: 'blue',
  exited: 'cyan',
  removed: 'red',
};

export const TYPE_COLORS: Record<string, string> = { deep: 'volcano', relative: 'orange', accident: 'purple' };

/** `label('status', 'verified')` → 在档. */
export function useCodeLabel(): (kind: CodeKind, code: string | number | null | undefined) => string {
  const { t, has } = useI18n();
  return useMemo(
    () => (kind: CodeKind, code: string | number | null | undefined) => {
      if (code === null || code === undefined || code === '') return '';
      const key = `code.${kind}.${code}`;
      return has(key) ? t(key) : String(code);
    },
    [t, has],
  );
}

/** Select options for a code list. */
export function useCodeOptions<T extends string | number>(kind: CodeKind, codes: readonly T[]): { value: T; label: string }[] {
  const label = useCodeLabel();
  return useMemo(() => codes.map((value) => ({ value, label: label(kind, value) })), [label, kind, codes]);
}
