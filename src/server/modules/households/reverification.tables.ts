import type { ColumnType, Generated } from 'kysely'

/** The findings of a re-verification, most pressing first (the item's outcome is the first that applies). */
export type ReverificationOutcome = 'still_eligible' | 'propose_exit' | 'facts_outdated' | 'visit_overdue'
export type ReverificationResolution = 'confirmed' | 'exit_started' | 'updated' | 'dismissed'
export type ReverificationRunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled'

export interface ReverificationRunTable {
  id: Generated<string>
  year: number
  /** the scope the run covers: '' national, '41', '4101', '410102' */
  region_prefix: string
  industry: string | null
  created_by: string | null
  created_at: ColumnType<Date, never, never>
  job_id: string | null
  status: ColumnType<ReverificationRunStatus, ReverificationRunStatus | undefined, ReverificationRunStatus>
  /** households per outcome, and total / done */
  counts: ColumnType<unknown, string | undefined, string>
  finished_at: Date | null
}

export interface ReverificationItemTable {
  province_code: string
  run_id: string
  household_id: string
  outcome: ReverificationOutcome
  /** every finding: [{ code, ...figures }] */
  reasons: ColumnType<unknown, string, string>
  resolution: ReverificationResolution | null
  resolved_by: string | null
  resolved_at: Date | null
  note: string | null
}
