import { Tag } from 'antd';
import type { ResponseOf } from '../../api/types';
import type { Translate } from '../../i18n/context';
import type { MessageKey } from '../../i18n/zh-CN';
import { fenToYuan } from '../../lib/money';

// Shared bits of the supervision flags (资金监督) of payment cycles.

export type Flag = ResponseOf<'/api/payments/flags', 'get'>['items'][number];
export type FlagKind = Flag['kind'];
export type FlagStatus = Flag['status'];

export const FLAG_KINDS: readonly FlagKind[] = ['ended_household', 'person_twice', 'over_cap', 'shared_account', 'outside_scope'];
export const FLAG_STATUSES: readonly FlagStatus[] = ['open', 'acknowledged', 'resolved'];

const KIND_COLORS: Record<FlagKind, string> = { ended_household: 'volcano', person_twice: 'magenta', over_cap: 'orange', shared_account: 'purple', outside_scope: 'red' };
const STATUS_COLORS: Record<FlagStatus, string> = { open: 'error', acknowledged: 'gold', resolved: 'success' };

export function FlagKindTag({ kind, t }: { kind: FlagKind; t: Translate }) {
  return (
    <Tag color={KIND_COLORS[kind]} style={{ marginInlineEnd: 0 }} data-testid="flag-kind" data-kind={kind}>
      {t(`pay.flag.kind.${kind}`)}
    </Tag>
  );
}

export function FlagStatusTag({ status, t }: { status: FlagStatus; t: Translate }) {
  return (
    <Tag color={STATUS_COLORS[status]} style={{ marginInlineEnd: 0 }} data-testid="flag-status" data-status={status}>
      {t(`pay.flag.status.${status}`)}
    </Tag>
  );
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const fenText = (v: unknown): string => (typeof v === 'string' && /^-?\d+$/.test(v) ? fenToYuan(v) : str(v));

/** The flag's details in words, e.g. '2026 年已发 1,200.00 元，上限 1,000.00 元' (money as string fen, never floats). */
export function flagDetails(f: Flag, t: Translate, has: (key: string) => key is MessageKey): string {
  const d = (f.details && typeof f.details === 'object' ? f.details : {}) as Record<string, unknown>;
  switch (f.kind) {
    case 'ended_household': {
      const date = str(d.endedAt).slice(0, 10);
      const what = t(d.status === 'removed' ? 'pay.flag.d.removed' : 'pay.flag.d.exited', { date: date || '—' });
      const code = str(d.endReason);
      if (!code) return what;
      const key = `life.${d.status === 'removed' ? 'removalReason' : 'exitReason'}.${code}`;
      return t('pay.flag.d.reason', { what, reason: has(key) ? t(key) : code });
    }
    case 'person_twice':
      return t('pay.flag.d.twice', { fileNo: str(d.otherFileNo) || '—' });
    case 'over_cap':
      return t('pay.flag.d.overCap', { year: str(d.year), paid: fenText(d.paidThisYearFen), cap: fenText(d.capFen) });
    case 'shared_account':
      return t('pay.flag.d.shared', { n: str(d.households) || '2' });
    case 'outside_scope': {
      const reasons = Array.isArray(d.reasons) ? d.reasons.map(str) : [];
      const label = (prefix: string, code: string) => (has(`${prefix}.${code}`) ? t(`${prefix}.${code}` as MessageKey) : code);
      const parts = reasons.map((r) => {
        if (r === 'fund_use') return t('pay.flag.d.fund_use', { fund: label('fund.type', str(d.fundType)), kind: label('prog.kind', str(d.programmeKind)) });
        if (r === 'region') return t('pay.flag.d.region', { region: str(d.householdRegionName) || str(d.householdRegion) || '—' });
        if (r === 'ineligible') return t('pay.flag.d.ineligible');
        return r;
      });
      return parts.join('；') || t('pay.flag.kind.outside_scope');
    }
  }
}
