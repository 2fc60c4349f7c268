import type { ColumnType, Generated } from 'kysely'
import type { ApprovalActionKind, ApprovalStatus, StepLevel } from './approval-flow.ts'

/** One step of an approval, as configured and as snapshotted at submission. */
export interface StepRow {
  level: StepLevel
  permission: string
}

export interface ApprovalPolicyTable {
  id: Generated<string>
  subject_kind: string
  region_prefix: string
  steps: ColumnType<StepRow[], string, string>
  /** 'YYYY-MM-DD' */
  effective_from: string
  created_by: string | null
  created_at: ColumnType<Date, never, Date>
}

export interface ApprovalTable {
  province_code: string
  id: Generated<string>
  subject_kind: string
  subject_id: string
  region_code: string
  maker_id: string
  maker_name: string
  status: ApprovalStatus
  current_step: number
  steps: ColumnType<StepRow[], string, never>
  policy_id: string | null
  step_level: StepLevel | null
  step_permission: string | null
  round: Generated<number>
  version: Generated<number>
  created_at: ColumnType<Date, never, never>
  updated_at: ColumnType<Date, never, Date>
  decided_at: Date | null
}

export interface ApprovalActionTable {
  province_code: string
  approval_id: string
  seq: number
  round: number
  step: number
  actor_id: string
  actor_name: string
  decision: ApprovalActionKind
  opinion: string | null
  at: ColumnType<Date, never, never>
}
