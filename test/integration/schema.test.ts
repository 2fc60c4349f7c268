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
    created_at: true, updated_at: true,
  },
  household_file_counter: { province_code: true, region_code: true, year: true, last_no: true },
  household_member: {
    province_code: true, id: true, household_id: true, name: true, relation: true, id_number_sealed: true, id_number_index: true, birth_date: true,
    sex: true, phone_sealed: true, phone_index: true, health: true, work_status: true, monthly_income_fen: true, created_at: true,
  },
  person_registry: { id_number_index: true, household_id: true, province_code: true, region_code: true, org_id: true },
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
