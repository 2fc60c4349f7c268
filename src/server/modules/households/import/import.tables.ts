import type { ColumnType, Generated } from 'kysely'

export type ImportStatus = 'uploaded' | 'validating' | 'validated' | 'committing' | 'committed' | 'failed' | 'discarded'
export type ImportFormat = 'csv' | 'xlsx'
export type CommitMode = 'valid-only' | 'all-or-nothing'

export interface HouseholdImportTable {
  id: Generated<string>
  org_id: string
  scope_prefix: string
  region_code: string
  created_by: string
  file_name: string
  storage_key: string
  format: ImportFormat
  size_bytes: bigint
  status: ColumnType<ImportStatus, ImportStatus | undefined, ImportStatus>
  mode: CommitMode | null
  row_count: Generated<number>
  household_count: Generated<number>
  valid_households: Generated<number>
  valid_rows: Generated<number>
  problem_count: Generated<number>
  problem_rows: Generated<number>
  duplicate_count: Generated<number>
  committed_households: Generated<number>
  committed_members: Generated<number>
  skipped_households: Generated<number>
  failure: string | null
  validate_job_id: string | null
  commit_job_id: string | null
  created_at: ColumnType<Date, never, never>
  validated_at: Date | null
  committed_at: Date | null
  updated_at: ColumnType<Date, Date | undefined, Date>
}

export interface HouseholdImportProblemTable {
  import_id: string
  seq: number
  phase: 'validate' | 'commit'
  row_no: number
  household_key: string | null
  column_name: string | null
  code: string
  message_en: string
  message_zh: string
  dup_row_no: number | null
  dup_region_code: string | null
}
