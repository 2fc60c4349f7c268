import type { ColumnType, Generated } from 'kysely'

// The double-entry ledger (migration 0018).

export type LedgerAccountKind = 'available' | 'reserved' | 'paid' | 'receipts'
export type LedgerEntryKind = 'receipt' | 'allocation' | 'reserve' | 'release' | 'payment' | 'return' | 'reversal'
export const ledgerEntryKinds = ['receipt', 'allocation', 'reserve', 'release', 'payment', 'return', 'reversal'] as const satisfies readonly LedgerEntryKind[]

export interface LedgerAccountTable {
  province_code: string
  id: Generated<string>
  org_id: string
  region_code: string | null
  fund_type: string
  kind: LedgerAccountKind
  /** the source of funds of a 'receipts' account; '' otherwise */
  source: ColumnType<string, string | undefined, never>
  balance_fen: ColumnType<bigint, bigint | undefined, bigint>
  created_at: ColumnType<Date, never, never>
}

export interface LedgerEntryTable {
  province_code: string
  id: Generated<string>
  kind: LedgerEntryKind
  org_id: string
  fund_type: string
  amount_fen: bigint
  /** `date`, read as a string */
  occurred_on: string
  memo: string | null
  reference: string | null
  ref_kind: string | null
  ref_id: string | null
  reverses_id: string | null
  created_by: string | null
  created_by_name: string
  created_at: ColumnType<Date, never, never>
}

export interface LedgerLineTable {
  province_code: string
  entry_id: string
  seq: number
  account_province_code: string
  account_id: string
  amount_fen: bigint
  created_at: ColumnType<Date, Date | undefined, never>
}
