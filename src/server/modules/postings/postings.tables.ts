import type { ColumnType, Generated } from 'kysely'

// Public postings and entitlements (migration 0017).

export type PostingKind = 'application' | 'household.entry' | 'household.exit'
export const postingKinds = ['application', 'household.entry', 'household.exit'] as const satisfies readonly PostingKind[]
export type PostingStatus = 'open' | 'closed'
export type PostingItemStatus = 'posted' | 'objected' | 'effective' | 'upheld'
export type ObjectionStatus = 'open' | 'dismissed' | 'upheld'
export type EntitlementStatus = 'due' | 'paid' | 'cancelled'

/** 'YYYY-MM-DD' both ways: the pg type parser keeps dates as strings. */
type Day = ColumnType<string, string, string>

export interface PostingTable {
  province_code: string
  id: Generated<string>
  org_id: string
  region_code: string
  kind: PostingKind
  title: string
  starts_on: Day
  ends_on: Day
  status: ColumnType<PostingStatus, PostingStatus | undefined, PostingStatus>
  item_count: number
  created_by: string | null
  created_at: ColumnType<Date, never, never>
  closed_at: Date | null
}

export interface PostingItemTable {
  province_code: string
  id: Generated<string>
  posting_id: string
  seq: number
  subject_kind: PostingKind
  subject_id: string
  household_id: string
  episode: number
  region_code: string
  /** masked at publication: the public pages read these and nothing else */
  masked_name: string
  masked_id: string
  detail_zh: string
  detail_en: string
  amount_fen: bigint | null
  status: ColumnType<PostingItemStatus, PostingItemStatus | undefined, PostingItemStatus>
  resolved_by: string | null
  resolved_at: Date | null
  resolution: string | null
}

export interface PostingObjectionTable {
  province_code: string
  id: Generated<string>
  posting_id: string
  item_id: string
  content: string
  source_ip: string
  user_agent: string | null
  created_at: ColumnType<Date, never, never>
  status: ColumnType<ObjectionStatus, ObjectionStatus | undefined, ObjectionStatus>
  resolved_by: string | null
  resolved_at: Date | null
  resolution: string | null
}

export interface EntitlementTable {
  province_code: string
  id: Generated<string>
  application_id: string
  household_id: string
  programme_id: string
  period: string
  region_code: string
  amount_fen: bigint
  status: ColumnType<EntitlementStatus, EntitlementStatus | undefined, EntitlementStatus>
  created_at: ColumnType<Date, never, never>
}
