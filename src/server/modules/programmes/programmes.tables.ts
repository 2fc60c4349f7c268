import type { ColumnType, Generated } from 'kysely'

export type ProgrammeKind =
  | 'living_subsidy'
  | 'festival_relief'
  | 'education_aid'
  | 'medical_aid'
  | 'temporary_aid'
  | 'entrepreneurship'
  | 'skills_training'
  | 'graduate_employment'

/** A programme of the catalogue (migration 0014); eligibility and formula as in rules.ts. */
export interface ProgrammeTable {
  id: Generated<string>
  code: string
  name_zh: string
  name_en: string
  kind: ProgrammeKind
  fund_type: string
  /** EligibilityRule as JSON */
  eligibility: unknown
  /** BenefitFormula as JSON */
  formula: unknown
  frequency: string
  cap_per_household_year_fen: bigint | null
  approval_kind: Generated<string>
  posting_required: Generated<boolean>
  posting_days: Generated<number>
  policy_basis: Generated<string>
  region_prefix: Generated<string>
  active: Generated<boolean>
  version: Generated<number>
  created_by: string | null
  created_at: ColumnType<Date, Date | undefined, never>
  updated_at: ColumnType<Date, Date | undefined, Date>
}
