import type { ColumnType, Generated } from 'kysely'

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'

export interface JobTable {
  id: Generated<string>
  kind: string
  status: JobStatus
  region_code: string | null
  province_code: string
  created_by: string | null
  params: ColumnType<unknown, string, string>
  checkpoint: ColumnType<unknown, string | null, string | null>
  progress_done: Generated<bigint>
  progress_total: bigint | null
  result: ColumnType<unknown, string | null, string | null>
  error: string | null
  attempts: Generated<number>
  lease: string | null
  cancel_requested: Generated<boolean>
  created_at: ColumnType<Date, never, never>
  started_at: Date | null
  heartbeat_at: Date | null
  finished_at: Date | null
}
