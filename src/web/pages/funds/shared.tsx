import { useEffect, useState } from 'react';
import { Tag } from 'antd';
import { api } from '../../api/client';
import { unwrap } from '../../api/errors';
import type { ResponseOf } from '../../api/types';
import { hasKey, type Translate } from '../../i18n/context';
import { fenToYuan } from '../../lib/money';

export type FundBalance = ResponseOf<'/api/funds', 'get'>['items'][number];
export type Entry = ResponseOf<'/api/funds/entries', 'get'>['items'][number];
export type EntryDetail = ResponseOf<'/api/funds/entries/{id}', 'get'>;
export type Statement = ResponseOf<'/api/funds/statement', 'get'>;
export type RaisedVsPaid = ResponseOf<'/api/funds/raised-vs-paid', 'get'>;
export type Codes = ResponseOf<'/api/funds/codes', 'get'>;
export type EntryKind = Entry['kind'];

/** The closed lists as the server has them (the order of the forms), with the labels of the area file. */
export const FUND_TYPES = ['hardship_fund', 'regular_subsidy_fund', 'centre_allowance_fund', 'mutual_aid_fund', 'education_aid_fund', 'training_fund', 'entrepreneurship_fund'] as const;
export const SOURCES = ['central_finance', 'local_finance', 'enterprise', 'unemployment_insurance', 'union_returned', 'donation', 'income_tax', 'bank_wage_loan'] as const;
export const ENTRY_KINDS = ['receipt', 'allocation', 'reserve', 'release', 'payment', 'return', 'reversal'] as const;

const label = (t: Translate, key: string, fallback: string) => (hasKey(key) ? t(key) : fallback);
export const fundTypeLabel = (t: Translate, code: string) => label(t, `fund.type.${code}`, code);
export const sourceLabel = (t: Translate, code: string) => label(t, `fund.source.${code}`, code);
export const kindLabel = (t: Translate, code: string) => label(t, `fund.kind.${code}`, code);
export const accountLabel = (t: Translate, code: string) => label(t, `fund.account.${code}`, code);

const KIND_COLORS: Record<string, string> = {
  receipt: 'green',
  allocation: 'blue',
  reserve: 'gold',
  release: 'default',
  payment: 'purple',
  return: 'orange',
  reversal: 'red',
};

export function KindTag({ kind, t }: { kind: string; t: Translate }) {
  return (
    <Tag color={KIND_COLORS[kind]} style={{ marginInlineEnd: 0 }}>
      {kindLabel(t, kind)}
    </Tag>
  );
}

/** Fen (string) as yuan with two decimals and separators, never through a float. */
export const yuan = (fen: string) => fenToYuan(fen);

/** A money cell: right-aligned tabular figures, the negative in red. */
export function Money({ fen, strong }: { fen: string; strong?: boolean }) {
  const negative = fen.startsWith('-');
  return (
    <span style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap', fontWeight: strong ? 600 : undefined, color: negative ? '#cf1322' : undefined }}>
      {yuan(fen)}
    </span>
  );
}

/** Today in China, 'YYYY-MM-DD'. */
export const chinaToday = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date());

/** Sum of fen strings, as a string (BigInt, never floats). */
export const sumFen = (values: readonly string[]) => values.reduce((s, v) => s + BigInt(v), 0n).toString();

let codesCache: Promise<Codes> | null = null;

/** The closed lists from GET /api/funds/codes (fetched once); the built-in lists until they arrive. */
export function useFundCodes(): Codes {
  const [codes, setCodes] = useState<Codes>({ fundTypes: [...FUND_TYPES], sources: [...SOURCES], entryKinds: [...ENTRY_KINDS] });
  useEffect(() => {
    let cancelled = false;
    codesCache ??= unwrap(api.GET('/api/funds/codes')).catch((err: unknown) => {
      codesCache = null;
      throw err;
    });
    codesCache.then((c) => !cancelled && setCodes(c)).catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, []);
  return codes;
}

export const entryKindOptions = (t: Translate, kinds: readonly string[]) => kinds.map((k) => ({ value: k, label: kindLabel(t, k) }));
export const fundTypeOptions = (t: Translate, types: readonly string[]) => types.map((k) => ({ value: k, label: fundTypeLabel(t, k) }));
export const sourceOptions = (t: Translate, sources: readonly string[]) => sources.map((k) => ({ value: k, label: sourceLabel(t, k) }));
