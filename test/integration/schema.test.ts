import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../src/server/db/database.ts'
import { type TestDatabase, testDatabase } from '../support/db.ts'

let database: TestDatabase
beforeAll(async () => {
  database = await testDatabase()
})
afterAll(async () => database?.drop())

type Columns<T> = { [K in keyof T]-?: true }

// Each list must name exactly the keys of its table type (the compiler checks that),
// and this test checks that it names exactly the columns of the migrated table.
const declared: { [T in keyof Database]: Columns<Database[T]> } = {
  region: { code: true, name: true, level: true, parent_code: true, province_code: true },
  org: { id: true, parent_id: true, name: true, type: true, level: true, region_code: true, province_code: true, industry: true, active: true, created_at: true, updated_at: true },
  role: { code: true, name_zh: true, name_en: true, permissions: true, built_in: true },
  app_user: {
    id: true, username: true, display_name: true, password_hash: true, org_id: true, locale: true, active: true, failed_logins: true,
    locked_until: true, last_login_at: true, password_changed_at: true, created_at: true, updated_at: true,
  },
  user_role: { user_id: true, role_code: true },
  session: { token_hash: true, user_id: true, csrf_token: true, created_at: true, last_seen_at: true, expires_at: true, ip: true, user_agent: true },
  audit_head: { province_code: true, last_seq: true, last_hash: true },
  audit_log: {
    province_code: true, seq: true, at: true, actor_id: true, actor_name: true, action: true, entity_type: true, entity_id: true,
    region_code: true, before: true, after: true, request_id: true, prev_hash: true, hash: true,
  },
  job: {
    id: true, kind: true, status: true, region_code: true, province_code: true, created_by: true, params: true, checkpoint: true,
    progress_done: true, progress_total: true, result: true, error: true, attempts: true, lease: true, cancel_requested: true,
    created_at: true, started_at: true, heartbeat_at: true, finished_at: true,
  },
  approval_policy: { id: true, subject_kind: true, region_prefix: true, steps: true, effective_from: true, created_by: true, created_at: true },
  approval: {
    province_code: true, id: true, subject_kind: true, subject_id: true, region_code: true, maker_id: true, maker_name: true, status: true,
    current_step: true, steps: true, policy_id: true, step_level: true, step_permission: true, round: true, version: true,
    created_at: true, updated_at: true, decided_at: true,
  },
  approval_action: {
    province_code: true, approval_id: true, seq: true, round: true, step: true, actor_id: true, actor_name: true, decision: true, opinion: true, at: true,
  },
  household: {
    province_code: true, id: true, file_no: true, region_code: true, org_id: true, address: true, status: true, episode: true, created_by: true,
    created_at: true, updated_at: true, head_name: true, hukou_type: true, housing_type: true, housing_area: true, employer_credit_code: true,
    employer_name: true, in_dibao: true, migrant_worker: true, restructuring: true, social_insurance: true, yearly_income_fen: true,
    yearly_rigid_spending_fen: true, yearly_hardship_spending_fen: true, primary_cause: true, secondary_causes: true, cause_scheme: true,
    hardship_type: true, type_scheme: true, per_capita_monthly_fen: true, target_groups: true, batches: true, classification: true,
    standard_id: true, classified_at: true, zero_employment: true, bank_name: true, bank_account_sealed: true, bank_account_index: true,
    helper_org_id: true, helper_person: true, paired_on: true, last_visit_on: true, submitted_at: true, verified_at: true, ended_at: true,
    end_reason: true, end_note: true, version: true,
  },
  household_file_counter: { province_code: true, region_code: true, year: true, last_no: true },
  household_member: {
    province_code: true, id: true, household_id: true, name: true, relation: true, id_number_sealed: true, id_number_index: true, birth_date: true,
    sex: true, phone_sealed: true, phone_index: true, health: true, work_status: true, monthly_income_fen: true, created_at: true,
    marital_status: true, school_stage: true, medical_insurance: true, model_worker: true,
  },
  person_registry: { id_number_index: true, household_id: true, province_code: true, region_code: true, org_id: true },
  local_standard: {
    id: true, region_code: true, effective_from: true, dibao_line_fen: true, min_wage_fen: true, deep_multiple_bp: true, relative_multiple_bp: true,
    accident_ratio_bp: true, laid_off_allowance_fen: true, applied_on: true, note: true, created_by: true, created_at: true,
  },
  household_event: {
    province_code: true, id: true, household_id: true, episode: true, action: true, actor_id: true, actor_name: true, before: true, after: true, note: true, at: true,
  },
  household_measure: {
    province_code: true, id: true, household_id: true, episode: true, batch: true, target: true, responsible: true, due_on: true, status: true,
    outcome: true, created_by: true, created_at: true, updated_at: true, version: true,
  },
  household_visit: {
    province_code: true, id: true, household_id: true, visited_on: true, visitor: true, findings: true, follow_up: true, created_by: true, created_at: true,
  },
  household_attachment: {
    province_code: true, id: true, household_id: true, file_name: true, content_type: true, size_bytes: true, sha256: true, storage_key: true,
    description: true, uploaded_by: true, created_at: true,
  },
  household_import: {
    id: true, org_id: true, scope_prefix: true, region_code: true, created_by: true, file_name: true, storage_key: true, format: true, size_bytes: true,
    status: true, mode: true, row_count: true, household_count: true, valid_households: true, valid_rows: true, problem_count: true, problem_rows: true,
    duplicate_count: true, committed_households: true, committed_members: true, skipped_households: true, failure: true, validate_job_id: true,
    commit_job_id: true, created_at: true, validated_at: true, committed_at: true, updated_at: true,
  },
  household_import_problem: {
    import_id: true, seq: true, phase: true, row_no: true, household_key: true, column_name: true, code: true, message_en: true, message_zh: true,
    dup_row_no: true, dup_region_code: true,
  },
  reverification_run: {
    id: true, year: true, region_prefix: true, industry: true, created_by: true, created_at: true, job_id: true, status: true, counts: true, finished_at: true,
  },
  reverification_item: {
    province_code: true, run_id: true, household_id: true, outcome: true, reasons: true, resolution: true, resolved_by: true, resolved_at: true, note: true,
  },
  programme: {
    id: true, code: true, name_zh: true, name_en: true, kind: true, fund_type: true, eligibility: true, formula: true, frequency: true,
    cap_per_household_year_fen: true, approval_kind: true, posting_required: true, posting_days: true, policy_basis: true, region_prefix: true,
    active: true, version: true, created_by: true, created_at: true, updated_at: true,
  },
  household_loan: {
    province_code: true, id: true, household_id: true, member_id: true, programme_code: true, lender: true, principal_fen: true, annual_rate_bp: true,
    subsidy_bp: true, term_months: true, start_month: true, method: true, purpose: true, status: true, created_by: true, created_at: true, updated_at: true, version: true,
  },
  loan_repayment: { province_code: true, loan_id: true, seq: true, paid_on: true, amount_fen: true, note: true, created_by: true, created_at: true },
  household_training: {
    province_code: true, id: true, household_id: true, member_id: true, programme_code: true, measure_id: true, course: true, provider: true, enrolled_on: true,
    completed_on: true, certificate: true, placed_on: true, employer: true, employer_credit_code: true, status: true, created_by: true, created_at: true,
    updated_at: true, version: true,
  },
  application: {
    province_code: true, id: true, household_id: true, programme_id: true, programme_code: true, period: true, request: true, amount_fen: true,
    eligibility: true, benefit: true, status: true, approval_id: true, created_by: true, created_at: true, updated_at: true, version: true,
  },
  posting: {
    province_code: true, id: true, org_id: true, region_code: true, kind: true, title: true, starts_on: true, ends_on: true, status: true, item_count: true,
    created_by: true, created_at: true, closed_at: true,
  },
  posting_item: {
    province_code: true, id: true, posting_id: true, seq: true, subject_kind: true, subject_id: true, household_id: true, episode: true, region_code: true,
    masked_name: true, masked_id: true, detail_zh: true, detail_en: true, amount_fen: true, status: true, resolved_by: true, resolved_at: true, resolution: true,
  },
  posting_objection: {
    province_code: true, id: true, posting_id: true, item_id: true, content: true, source_ip: true, user_agent: true, created_at: true,
    status: true, resolved_by: true, resolved_at: true, resolution: true,
  },
  entitlement: {
    province_code: true, id: true, application_id: true, household_id: true, programme_id: true, period: true, region_code: true, amount_fen: true, status: true,
    created_at: true,
  },
  ledger_account: { province_code: true, id: true, org_id: true, region_code: true, fund_type: true, kind: true, source: true, balance_fen: true, created_at: true },
  ledger_entry: {
    province_code: true, id: true, kind: true, org_id: true, fund_type: true, amount_fen: true, occurred_on: true, memo: true, reference: true, ref_kind: true,
    ref_id: true, reverses_id: true, created_by: true, created_by_name: true, created_at: true,
  },
  ledger_line: { province_code: true, entry_id: true, seq: true, account_province_code: true, account_id: true, amount_fen: true, created_at: true },
  payment_cycle: {
    province_code: true, id: true, org_id: true, region_code: true, programme_id: true, programme_code: true, fund_type: true, period: true, basis: true,
    status: true, line_count: true, total_fen: true, paid_count: true, paid_fen: true, failed_count: true, failed_fen: true, job_id: true, approval_id: true,
    reserve_entry_id: true, created_by: true, created_at: true, updated_at: true, version: true,
  },
  payment_line: {
    province_code: true, cycle_id: true, line_no: true, household_id: true, programme_id: true, for_period: true, entitlement_id: true, carried_from_cycle: true,
    region_code: true, file_no: true, payee_name: true, bank_name: true, bank_account_sealed: true, bank_account_index: true, amount_fen: true, basis: true,
    status: true, fail_reason: true, bank_serial: true, settled_at: true,
  },
  payment_flag: {
    province_code: true, id: true, kind: true, cycle_id: true, line_no: true, household_id: true, region_code: true, details: true, status: true, note: true,
    decided_by: true, decided_at: true, detected_at: true,
  },
}

describe('table types', () => {
  it('match the migrated schema column for column', async () => {
    const { rows } = await sql<{ table_name: string; column_name: string }>`
      SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely_%'`.execute(database.db)
    const actual: Record<string, string[]> = {}
    for (const r of rows) (actual[r.table_name] ??= []).push(r.column_name)
    const expected = Object.fromEntries(Object.entries(declared).map(([t, cols]) => [t, Object.keys(cols).sort()]))
    expect(Object.fromEntries(Object.entries(actual).map(([t, cols]) => [t, cols.sort()]))).toEqual(expected)
  })
})
