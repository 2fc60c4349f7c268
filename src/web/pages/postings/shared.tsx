import { Tag } from 'antd';
import type { ResponseOf } from '../../api/types';
import type { Translate } from '../../i18n/context';
import { fenToYuan } from '../../lib/money';

// Shared bits of the staff pages of public postings (公示管理).

export type Posting = ResponseOf<'/api/postings', 'get'>['items'][number];
export type PostingDetail = ResponseOf<'/api/postings/{id}', 'get'>;
export type PostingItem = PostingDetail['items'][number];
export type Candidate = ResponseOf<'/api/postings/candidates', 'get'>['items'][number];
export type PostingKind = Posting['kind'];

export const KINDS: readonly PostingKind[] = ['application', 'household.entry', 'household.exit'];

export const kindLabel = (t: Translate, kind: PostingKind) => t(`post.kind.${kind}`);

/** The permission that publishes and decides postings of a kind (as the server checks). */
export const approvePermissionOf = (kind: PostingKind) => (kind === 'application' ? 'application.approve' : 'household.approve');

/** Today in China, 'YYYY-MM-DD' (postings run by China dates). */
export function chinaToday(): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** 'YYYY-MM-DD' plus n days. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** Days of a period, first and last day included. */
export function periodDays(start: string, end: string): number {
  return Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000) + 1;
}

/** Sum of strings of fen, in BigInt (never floats for money); null when none has an amount. */
export function sumFen(amounts: (string | null)[]): string | null {
  let total = 0n;
  let any = false;
  for (const a of amounts) {
    if (a !== null && /^-?\d+$/.test(a)) {
      total += BigInt(a);
      any = true;
    }
  }
  return any ? total.toString() : null;
}

/** '95050' → '950.50'; '' for null. */
export const yuan = (fen: string | null) => (fen === null ? '' : fenToYuan(fen));

/** Where a posting stands today: open (in its period), pending (not started) or closed. */
export function postingPhase(p: Pick<Posting, 'status' | 'startsOn'>, today = chinaToday()): 'open' | 'pending' | 'closed' {
  if (p.status === 'closed') return 'closed';
  return p.startsOn > today ? 'pending' : 'open';
}

const PHASE_COLORS = { open: 'green', pending: 'blue', closed: 'default' } as const;

export function PhaseTag({ p, t }: { p: Pick<Posting, 'status' | 'startsOn'>; t: Translate }) {
  const phase = postingPhase(p);
  return (
    <Tag color={PHASE_COLORS[phase]} style={{ marginInlineEnd: 0 }}>
      {t(`post.status.${phase}`)}
    </Tag>
  );
}

const ITEM_COLORS: Record<PostingItem['status'], string> = { posted: 'processing', objected: 'warning', effective: 'success', upheld: 'error' };

export function ItemStatusTag({ status, t }: { status: PostingItem['status']; t: Translate }) {
  return (
    <Tag color={ITEM_COLORS[status]} style={{ marginInlineEnd: 0 }}>
      {t(`post.item.${status}`)}
    </Tag>
  );
}

const OBJ_COLORS = { open: 'warning', dismissed: 'default', upheld: 'error' } as const;

export function ObjectionStatusTag({ status, t }: { status: keyof typeof OBJ_COLORS; t: Translate }) {
  return (
    <Tag color={OBJ_COLORS[status]} style={{ marginInlineEnd: 0 }}>
      {t(`post.obj.${status}`)}
    </Tag>
  );
}
