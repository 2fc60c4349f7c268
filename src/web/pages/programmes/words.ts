import { useMemo } from 'react';
import { useI18n } from '../../i18n/context';
import { useLabels } from '../../i18n/labels';
import type { ResponseOf } from '../../api/types';
import type { Translate } from '../../i18n/context';

type Programme = ResponseOf<'/api/programmes', 'get'>['items'][number];
export type Condition = Programme['eligibility']['allOf'][number];

const STAGES = ['preschool', 'primary', 'junior', 'senior', 'vocational', 'college', 'postgraduate'];

/** Whole fen as yuan for reading: '50000' → '500', '12345' → '123.45', with thousands separators. */
export function yuanText(fen: string): string {
  if (!/^\d+$/.test(fen)) return fen;
  const digits = fen.padStart(3, '0');
  const whole = digits.slice(0, -2).replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = digits.slice(-2);
  return cents === '00' ? whole : `${whole}.${cents}`;
}

/** Basis points as a percentage: 5000 → '50', 345 → '3.45'. */
const percent = (bp: number) => String(bp / 100);

export interface Words {
  t: Translate;
  code: (prefix: string, c: string | number) => string;
}

/** The benefit formula in words: 深度困难 500 元/月，相对困难 300 元/月. */
export function formulaInWords(p: Pick<Programme, 'formula' | 'frequency'>, { t }: Words): string {
  const f = p.formula;
  const per = t(`prog.per.${p.frequency}` as never);
  switch (f.kind) {
    case 'fixedByHardshipType':
      return (['deep', 'relative', 'accident'] as const)
        .filter((k) => f.amounts[k] !== undefined)
        .map((k) => t('prog.f.byType', { type: t(`prog.type.${k}`), amount: yuanText(f.amounts[k]!), per }))
        .join(t('prog.sep'));
    case 'bySchoolStage':
      return (
        Object.entries(f.amounts)
          .sort(([a], [b]) => STAGES.indexOf(a) - STAGES.indexOf(b))
          .map(([stage, amount]) => t('prog.f.byStage', { stage: t(`prog.stage.${stage}` as never), amount: yuanText(amount), per }))
          .join(t('prog.sep')) + t('prog.f.perStudent')
      );
    case 'shareOfCost':
      return t('prog.f.share', { share: percent(f.shareBp), cap: yuanText(f.capFen) });
    case 'fixed':
      return t('prog.f.fixed', { amount: yuanText(f.amountFen), per });
    case 'loan':
      return f.interestSubsidyBp > 0
        ? t('prog.f.loan', { max: yuanText(f.maxPrincipalFen), months: f.termMonths, rate: percent(f.interestSubsidyBp) })
        : t('prog.f.loanFree', { max: yuanText(f.maxPrincipalFen), months: f.termMonths });
  }
}

export function conditionInWords(c: Condition, { t, code }: Words): string {
  if (c.kind === 'perCapitaBelowFen') return t('prog.c.perCapitaBelowFen', { amount: yuanText(c.value) });
  const prefix: Record<string, string> = {
    hardshipType: 'prog.type.',
    targetGroup: 'group',
    batch: 'prog.batch.',
    status: 'status',
    memberSchoolStage: 'prog.stage.',
    memberHealth: 'health',
    memberWorkStatus: 'work',
  };
  const values = (c.anyOf as (string | number)[]).map((v) => code(prefix[c.kind]!, v)).join(t('prog.or'));
  return t(`prog.c.${c.kind}` as never, { values });
}

/** The eligibility rule in words, one line per condition. */
export function eligibilityInWords(p: Pick<Programme, 'eligibility'>, words: Words): string[] {
  return p.eligibility.allOf.map((c) => conditionInWords(c, words));
}


/** The words of the current language: translations and code labels (statuses, stages, groups…). */
export function useWords(): Words {
  const { t, has } = useI18n();
  const labels = useLabels();
  return useMemo<Words>(
    () => ({
      t,
      code: (prefix, c) => {
        if (prefix === 'group') return t('prog.group', { n: c });
        if (prefix === 'health') return labels.health(String(c));
        if (prefix === 'work') return labels.workStatus(String(c));
        if (prefix === 'status') return has(`life.status.${c}`) ? t(`life.status.${c}` as never) : String(c);
        const key = `${prefix}${c}`;
        return has(key) ? t(key as never) : String(c);
      },
    }),
    [t, has, labels],
  );
}
