import { Tag } from 'antd';
import type { ResponseOf } from '../../api/types';
import type { Translate } from '../../i18n/context';
import { fenToYuan } from '../../lib/money';

// Shared bits of the payment cycle pages (资金发放).

export type Cycle = ResponseOf<'/api/payments/cycles/{id}', 'get'>;
export type CycleStatus = Cycle['status'];
export type CycleLine = ResponseOf<'/api/payments/cycles/{id}/lines', 'get'>['items'][number];
export type LineStatus = CycleLine['status'];
export type Programme = ResponseOf<'/api/programmes', 'get'>['items'][number];

export const STATUSES: readonly CycleStatus[] = ['generating', 'draft', 'submitted', 'approved', 'exported', 'paid', 'partly_failed', 'closed', 'cancelled'];
export const LINE_STATUSES: readonly LineStatus[] = ['pending', 'paid', 'failed'];

const STATUS_COLORS: Record<CycleStatus, string> = {
  generating: 'processing',
  draft: 'default',
  submitted: 'gold',
  approved: 'blue',
  exported: 'cyan',
  paid: 'success',
  partly_failed: 'error',
  closed: 'green',
  cancelled: 'default',
};

export function CycleStatusTag({ status, t }: { status: CycleStatus; t: Translate }) {
  return (
    <Tag color={STATUS_COLORS[status]} style={{ marginInlineEnd: 0 }} data-testid="pay-status" data-status={status}>
      {t(`pay.status.${status}`)}
    </Tag>
  );
}

const LINE_COLORS: Record<LineStatus, string> = { pending: 'default', paid: 'success', failed: 'error' };

export function LineStatusTag({ status, t }: { status: LineStatus; t: Translate }) {
  return (
    <Tag color={LINE_COLORS[status]} style={{ marginInlineEnd: 0 }}>
      {t(`pay.line.${status}`)}
    </Tag>
  );
}

/** '95050' → '950.50' (string arithmetic; never floats). */
export const yuan = (fen: string) => fenToYuan(fen);

export const programmeName = (c: Pick<Cycle, 'programmeNameZh' | 'programmeNameEn'>, lang: string) => (lang === 'zh-CN' ? c.programmeNameZh : c.programmeNameEn || c.programmeNameZh);

export type Frequency = 'monthly' | 'quarterly' | 'yearly' | 'academic_year' | 'one_off';
const FREQUENCIES: readonly string[] = ['monthly', 'quarterly', 'yearly', 'academic_year', 'one_off'];
export const asFrequency = (f: string): Frequency => (FREQUENCIES.includes(f) ? (f as Frequency) : 'monthly');

/** Today in China, 'YYYY-MM-DD'. */
export function chinaToday(): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** The current period of a frequency, as the server spells it: 2026-11, 2026Q4, 2026, 2026/2027 (from September), 2026-11-23. */
export function currentPeriod(frequency: Frequency, today = chinaToday()): string {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  switch (frequency) {
    case 'monthly':
      return today.slice(0, 7);
    case 'quarterly':
      return `${year}Q${Math.floor((month - 1) / 3) + 1}`;
    case 'yearly':
      return String(year);
    case 'academic_year':
      return month >= 9 ? `${year}/${year + 1}` : `${year - 1}/${year}`;
    case 'one_off':
      return today;
  }
}
