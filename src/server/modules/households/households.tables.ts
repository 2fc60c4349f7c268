import type { ColumnType, Generated } from 'kysely'

export type MemberRelation = 'head' | 'spouse' | 'child' | 'parent' | 'other'
export type Sex = 'male' | 'female'
/** The lifecycle of a file (domain.md §3). */
export type HouseholdStatus = 'draft' | 'submitted' | 'verified' | 'reverifying' | 'exited' | 'removed'
/** The four batches (四个一批, domain.md §4); a measure is of one of them. */
export type Batch = 'employment' | 'social_insurance' | 'medical' | 'assistance'
export type MeasureStatus = 'planned' | 'in_progress' | 'done' | 'cancelled'

export interface HouseholdTable {
  province_code: string
  id: Generated<string>
  file_no: string
  region_code: string
  org_id: string
  address: string
  status: ColumnType<HouseholdStatus, HouseholdStatus | undefined, HouseholdStatus>
  episode: Generated<number>
  created_by: string | null
  /** set on insert only by imports and seeds that carry the original filing time */
  created_at: ColumnType<Date, Date | undefined, never>
  updated_at: ColumnType<Date, Date | undefined, Date>
  head_name: Generated<string>
  hukou_type: string | null
  housing_type: string | null
  /** numeric(7,1), read as a string */
  housing_area: string | null
  employer_credit_code: string | null
  employer_name: string | null
  in_dibao: Generated<boolean>
  migrant_worker: Generated<boolean>
  restructuring: string | null
  social_insurance: string | null
  yearly_income_fen: Generated<bigint>
  yearly_rigid_spending_fen: Generated<bigint>
  yearly_hardship_spending_fen: Generated<bigint>
  primary_cause: string | null
  secondary_causes: Generated<string[]>
  cause_scheme: Generated<string>
  hardship_type: string | null
  type_scheme: Generated<string>
  per_capita_monthly_fen: bigint | null
  target_groups: Generated<number[]>
  batches: Generated<Batch[]>
  /** the rule and figures the classification came from */
  classification: unknown | null
  standard_id: string | null
  classified_at: Date | null
  zero_employment: Generated<boolean>
  bank_name: string | null
  bank_account_sealed: string | null
  bank_account_index: string | null
  helper_org_id: string | null
  helper_person: string | null
  paired_on: string | null
  last_visit_on: string | null
  submitted_at: Date | null
  verified_at: Date | null
  ended_at: Date | null
  end_reason: string | null
  end_note: string | null
  version: Generated<number>
}

export interface HouseholdFileCounterTable {
  province_code: string
  region_code: string
  year: number
  last_no: number
}

export interface HouseholdMemberTable {
  province_code: string
  id: Generated<string>
  household_id: string
  name: string
  relation: MemberRelation
  id_number_sealed: string
  id_number_index: string
  /** `date`, read as a string (engine.ts) */
  birth_date: string
  sex: Sex
  phone_sealed: string | null
  phone_index: string | null
  health: string
  work_status: string
  monthly_income_fen: bigint
  created_at: ColumnType<Date, never, never>
  marital_status: string | null
  school_stage: string | null
  medical_insurance: string | null
  model_worker: string | null
}

export interface PersonRegistryTable {
  id_number_index: string
  household_id: string
  province_code: string
  region_code: string
  org_id: string
}

export interface LocalStandardTable {
  id: Generated<string>
  region_code: string
  /** `date`, read as a string */
  effective_from: string
  dibao_line_fen: bigint
  min_wage_fen: bigint
  deep_multiple_bp: Generated<number>
  relative_multiple_bp: Generated<number>
  accident_ratio_bp: Generated<number>
  laid_off_allowance_fen: bigint | null
  /** the day its re-classification was queued; null while none has been */
  applied_on: string | null
  note: string | null
  created_by: string | null
  created_at: ColumnType<Date, never, never>
}

export interface HouseholdEventTable {
  province_code: string
  id: Generated<string>
  household_id: string
  episode: number
  action: string
  actor_id: string | null
  actor_name: string
  before: unknown | null
  after: unknown | null
  note: string | null
  at: ColumnType<Date, never, never>
}

export interface HouseholdMeasureTable {
  province_code: string
  id: Generated<string>
  household_id: string
  episode: number
  batch: Batch
  target: string
  responsible: string
  due_on: string
  status: ColumnType<MeasureStatus, MeasureStatus | undefined, MeasureStatus>
  outcome: string | null
  created_by: string | null
  created_at: ColumnType<Date, never, never>
  updated_at: ColumnType<Date, Date | undefined, Date>
  version: Generated<number>
}

export interface HouseholdVisitTable {
  province_code: string
  id: Generated<string>
  household_id: string
  visited_on: string
  visitor: string
  findings: string
  follow_up: string | null
  created_by: string | null
  created_at: ColumnType<Date, never, never>
}

export interface HouseholdAttachmentTable {
  province_code: string
  id: Generated<string>
  household_id: string
  file_name: string
  content_type: string
  size_bytes: bigint
  sha256: string
  storage_key: string
  description: string | null
  uploaded_by: string | null
  created_at: ColumnType<Date, never, never>
}
