import type { ColumnType, Generated } from 'kysely'

// Payment cycles and their lines (migration 0019).

export type CycleStatus = 'draft' | 'generating' | 'submitted' | 'approved' | 'exported' | 'paid' | 'partly_failed' | 'closed' | 'cancelled'
export const cycleStatuses = ['draft', 'generating', 'submitted', 'approved', 'exported', 'paid', 'partly_failed', 'closed', 'cancelled'] as const satisfies readonly CycleStatus[]
export type CycleBasis = 'households' | 'entitlements'
export type LineStatus = 'pending' | 'paid' | 'failed'

export interface PaymentCycleTable {
  province_code: string
  id: Generated<string>
  org_id: string
  region_code: string
  programme_id: string
  programme_code: string
  fund_type: string
  period: string
  basis: CycleBasis
  status: ColumnType<CycleStatus, CycleStatus | undefined, CycleStatus>
  line_count: ColumnType<number, number | undefined, number>
  total_fen: ColumnType<bigint, bigint | undefined, bigint>
  paid_count: ColumnType<number, number | undefined, number>
  paid_fen: ColumnType<bigint, bigint | undefined, bigint>
  failed_count: ColumnType<number, number | undefined, number>
  failed_fen: ColumnType<bigint, bigint | undefined, bigint>
  job_id: string | null
  approval_id: string | null
  reserve_entry_id: string | null
  created_by: string | null
  created_at: ColumnType<Date, never, never>
  updated_at: ColumnType<Date, Date | undefined, Date>
  version: ColumnType<number, number | undefined, number>
}

export interface PaymentLineTable {
  province_code: string
  cycle_id: string
  line_no: number
  household_id: string
  programme_id: string
  for_period: string
  entitlement_id: string | null
  carried_from_cycle: string | null
  region_code: string
  file_no: string
  payee_name: string
  bank_name: string | null
  bank_account_sealed: string | null
  bank_account_index: string | null
  amount_fen: bigint
  /** what the amount was computed from, as it was at generation */
  basis: ColumnType<unknown, string, string>
  status: ColumnType<LineStatus, LineStatus | undefined, LineStatus>
  fail_reason: string | null
  bank_serial: string | null
  settled_at: Date | null
}

export type FlagKind = 'ended_household' | 'person_twice' | 'over_cap' | 'shared_account' | 'outside_scope'
export const flagKinds = ['ended_household', 'person_twice', 'over_cap', 'shared_account', 'outside_scope'] as const satisfies readonly FlagKind[]
export type FlagStatus = 'open' | 'acknowledged' | 'resolved'

export interface PaymentFlagTable {
  province_code: string
  id: Generated<string>
  kind: FlagKind
  cycle_id: string
  line_no: number
  household_id: string
  region_code: string
  details: ColumnType<unknown, string, string>
  status: ColumnType<FlagStatus, FlagStatus | undefined, FlagStatus>
  note: string | null
  decided_by: string | null
  decided_at: Date | null
  detected_at: ColumnType<Date, never, never>
}
