import type { ColumnType, Generated } from 'kysely'
import type { LoanMethod } from './loans.ts'

// Entrepreneurship loans, their repayments and training records (migration 0015).

export type LoanStatus = 'active' | 'repaid' | 'written_off'
export type TrainingStatus = 'enrolled' | 'completed' | 'dropped' | 'placed'

export interface HouseholdLoanTable {
  province_code: string
  id: Generated<string>
  household_id: string
  member_id: string | null
  programme_code: string | null
  lender: string
  principal_fen: bigint
  annual_rate_bp: number
  subsidy_bp: number
  term_months: number
  start_month: string
  method: LoanMethod
  purpose: string
  status: ColumnType<LoanStatus, LoanStatus | undefined, LoanStatus>
  created_by: string | null
  created_at: ColumnType<Date, never, never>
  updated_at: ColumnType<Date, Date | undefined, Date>
  version: Generated<number>
}

export interface LoanRepaymentTable {
  province_code: string
  loan_id: string
  seq: number
  paid_on: string
  amount_fen: bigint
  note: string | null
  created_by: string | null
  created_at: ColumnType<Date, never, never>
}

export interface HouseholdTrainingTable {
  province_code: string
  id: Generated<string>
  household_id: string
  member_id: string
  programme_code: string | null
  measure_id: string | null
  course: string
  provider: string
  enrolled_on: string
  completed_on: string | null
  certificate: string | null
  placed_on: string | null
  employer: string | null
  employer_credit_code: string | null
  status: ColumnType<TrainingStatus, TrainingStatus | undefined, TrainingStatus>
  created_by: string | null
  created_at: ColumnType<Date, never, never>
  updated_at: ColumnType<Date, Date | undefined, Date>
  version: Generated<number>
}
