import { sql } from 'kysely'
import type { Database, Kysely, Transaction } from '../../../db/database.ts'
import { type DataScope, inScope } from '../../../platform/scope.ts'
import type { HouseholdImportTable, ImportStatus } from './import.tables.ts'
import type { Selectable, Updateable } from 'kysely'

type Executor = Kysely<Database> | Transaction<Database>

export type ImportRecord = Selectable<HouseholdImportTable>
export type ProblemRecord = Selectable<Database['household_import_problem']>

/** An import is seen by whoever's scope covers its creator's scope (scope_prefix). */
export function findInScope(db: Executor, scope: DataScope, id: string): Promise<ImportRecord | undefined> {
  return db.selectFrom('household_import as i').selectAll().where('i.id', '=', id).where(inScope(scope, { region: 'i.scope_prefix' })).executeTakeFirst()
}

/** For the jobs, which act on an import already authorised. */
export function findById(db: Executor, id: string): Promise<ImportRecord | undefined> {
  return db.selectFrom('household_import').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function insertImport(
  trx: Transaction<Database>,
  v: { orgId: string; scopePrefix: string; regionCode: string; createdBy: string; fileName: string; storageKey: string; format: 'csv' | 'xlsx'; sizeBytes: number },
): Promise<string> {
  const { id } = await trx
    .insertInto('household_import')
    .values({
      org_id: v.orgId,
      scope_prefix: v.scopePrefix,
      region_code: v.regionCode,
      created_by: v.createdBy,
      file_name: v.fileName,
      storage_key: v.storageKey,
      format: v.format,
      size_bytes: BigInt(v.sizeBytes),
      mode: null,
      failure: null,
      validate_job_id: null,
      commit_job_id: null,
      validated_at: null,
      committed_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

export async function update(db: Executor, id: string, patch: Updateable<HouseholdImportTable>): Promise<void> {
  await db.updateTable('household_import').set({ ...patch, updated_at: new Date() }).where('id', '=', id).execute()
}

/** Moves the import from one of `from` to `to`; false when someone else moved it first. */
export async function transition(db: Executor, id: string, from: readonly ImportStatus[], patch: Updateable<HouseholdImportTable> & { status: ImportStatus }): Promise<boolean> {
  const r = await db
    .updateTable('household_import')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .where('status', 'in', [...from])
    .executeTakeFirst()
  return r.numUpdatedRows > 0n
}

export async function deleteProblems(trx: Executor, importId: string): Promise<void> {
  await trx.deleteFrom('household_import_problem').where('import_id', '=', importId).execute()
}

export interface ProblemInsert {
  phase: 'validate' | 'commit'
  rowNo: number
  householdKey: string | null
  column: string | null
  code: string
  messageEn: string
  messageZh: string
  dupRowNo: number | null
  dupRegionCode: string | null
}

export async function insertProblems(trx: Executor, importId: string, firstSeq: number, problems: readonly ProblemInsert[]): Promise<void> {
  for (let i = 0; i < problems.length; i += 2000) {
    const part = problems.slice(i, i + 2000)
    await trx
      .insertInto('household_import_problem')
      .values(
        part.map((p, j) => ({
          import_id: importId,
          seq: firstSeq + i + j,
          phase: p.phase,
          row_no: p.rowNo,
          household_key: p.householdKey,
          column_name: p.column,
          code: p.code,
          message_en: p.messageEn,
          message_zh: p.messageZh,
          dup_row_no: p.dupRowNo,
          dup_region_code: p.dupRegionCode,
        })),
      )
      .execute()
  }
}

export async function nextProblemSeq(db: Executor, importId: string): Promise<number> {
  const r = await db
    .selectFrom('household_import_problem')
    .select(sql<number>`coalesce(max(seq), 0)::int`.as('m'))
    .where('import_id', '=', importId)
    .executeTakeFirstOrThrow()
  return r.m + 1
}

/** The households (by their key in the file) that validation found a problem in. */
export async function problemHouseholdKeys(db: Executor, importId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('household_import_problem')
    .select('household_key')
    .distinct()
    .where('import_id', '=', importId)
    .where('household_key', 'is not', null)
    .execute()
  return new Set(rows.map((r) => r.household_key!))
}

/** In file order: by row number, then as found. */
export function listProblems(db: Executor, importId: string, after: { rowNo: number; seq: number } | null, limit: number): Promise<ProblemRecord[]> {
  let q = db.selectFrom('household_import_problem').selectAll().where('import_id', '=', importId)
  if (after) q = q.where(sql<boolean>`(row_no, seq) > (${after.rowNo}, ${after.seq})`)
  return q.orderBy('row_no').orderBy('seq').limit(limit).execute()
}

export async function countyCodes(db: Executor): Promise<Set<string>> {
  const rows = await db.selectFrom('region').select('code').where('level', '=', 'county').execute()
  return new Set(rows.map((r) => r.code))
}

export function userNames(db: Executor, userId: string): Promise<{ username: string; display_name: string } | undefined> {
  return db.selectFrom('app_user').select(['username', 'display_name']).where('id', '=', userId).executeTakeFirst()
}

/**
 * Reserves consecutive file numbers for several counties of one year in one statement (each
 * counter row stays locked until the transaction ends) and returns the first number of each
 * county's range. Counties in code order, so two imports lock them in the same order.
 */
export async function reserveFileNumbers(trx: Transaction<Database>, year: number, counts: ReadonlyMap<string, number>): Promise<Map<string, number>> {
  const regions = [...counts.keys()].sort()
  if (regions.length === 0) return new Map()
  const { rows } = await sql<{ region_code: string; last_no: number }>`
    INSERT INTO household_file_counter AS c (province_code, region_code, year, last_no)
    SELECT left(r, 2), r, ${year}::int, n FROM unnest(${regions}::text[], ${regions.map((r) => counts.get(r)!)}::int[]) AS t(r, n)
    ORDER BY r
    ON CONFLICT (province_code, region_code, year) DO UPDATE SET last_no = c.last_no + excluded.last_no
    RETURNING region_code, last_no
  `.execute(trx)
  return new Map(rows.map((r) => [r.region_code, r.last_no - counts.get(r.region_code)! + 1]))
}

export interface HouseholdRow {
  province_code: string
  id: string
  file_no: string
  region_code: string
  org_id: string
  address: string
  created_by: string
  head_name: string
  hukou_type: string | null
  housing_type: string | null
  housing_area: string | null
  employer_credit_code: string | null
  employer_name: string | null
  in_dibao: boolean
  migrant_worker: boolean
  restructuring: string | null
  social_insurance: string | null
  yearly_income_fen: string
  yearly_rigid_spending_fen: string
  yearly_hardship_spending_fen: string
  primary_cause: string | null
  /** comma-joined codes ('' for none) */
  secondary_causes: string
  hardship_type: string | null
  type_scheme: string
}

export interface MemberRow {
  province_code: string
  household_id: string
  name: string
  relation: string
  id_number_sealed: string
  id_number_index: string
  birth_date: string
  sex: string
  phone_sealed: string | null
  phone_index: string | null
  health: string
  work_status: string
  monthly_income_fen: string
  marital_status: string | null
  school_stage: string | null
  medical_insurance: string | null
  model_worker: string | null
}

export interface RegistryRow {
  id_number_index: string
  household_id: string
  province_code: string
  region_code: string
  org_id: string
}

const col = <T, K extends keyof T>(rows: readonly T[], k: K) => rows.map((r) => r[k])

/**
 * Many rows in one statement: one array parameter per column, spread back into rows by
 * unnest(). A handful of statements per chunk whatever its size — the difference between an
 * import near COPY speed and one round trip per row.
 */
export async function insertHouseholds(trx: Transaction<Database>, rows: readonly HouseholdRow[]): Promise<void> {
  if (rows.length === 0) return
  await sql`
    INSERT INTO household (province_code, id, file_no, region_code, org_id, address, status, created_by, head_name, hukou_type, housing_type,
      housing_area, employer_credit_code, employer_name, in_dibao, migrant_worker, restructuring, social_insurance, yearly_income_fen,
      yearly_rigid_spending_fen, yearly_hardship_spending_fen, primary_cause, secondary_causes, hardship_type, type_scheme)
    SELECT province_code, id, file_no, region_code, org_id, address, 'draft', created_by, head_name, hukou_type, housing_type,
      housing_area, employer_credit_code, employer_name, in_dibao, migrant_worker, restructuring, social_insurance, yearly_income_fen,
      yearly_rigid_spending_fen, yearly_hardship_spending_fen, primary_cause, string_to_array(secondary_causes, ','), hardship_type, type_scheme
    FROM unnest(
      ${col(rows, 'province_code')}::text[], ${col(rows, 'id')}::uuid[], ${col(rows, 'file_no')}::text[], ${col(rows, 'region_code')}::text[],
      ${col(rows, 'org_id')}::uuid[], ${col(rows, 'address')}::text[], ${col(rows, 'created_by')}::uuid[], ${col(rows, 'head_name')}::text[],
      ${col(rows, 'hukou_type')}::text[], ${col(rows, 'housing_type')}::text[], ${col(rows, 'housing_area')}::numeric[],
      ${col(rows, 'employer_credit_code')}::text[], ${col(rows, 'employer_name')}::text[], ${col(rows, 'in_dibao')}::boolean[],
      ${col(rows, 'migrant_worker')}::boolean[], ${col(rows, 'restructuring')}::text[], ${col(rows, 'social_insurance')}::text[],
      ${col(rows, 'yearly_income_fen')}::bigint[], ${col(rows, 'yearly_rigid_spending_fen')}::bigint[], ${col(rows, 'yearly_hardship_spending_fen')}::bigint[],
      ${col(rows, 'primary_cause')}::text[], ${col(rows, 'secondary_causes')}::text[], ${col(rows, 'hardship_type')}::text[], ${col(rows, 'type_scheme')}::text[]
    ) AS t(province_code, id, file_no, region_code, org_id, address, created_by, head_name, hukou_type, housing_type, housing_area,
      employer_credit_code, employer_name, in_dibao, migrant_worker, restructuring, social_insurance, yearly_income_fen, yearly_rigid_spending_fen,
      yearly_hardship_spending_fen, primary_cause, secondary_causes, hardship_type, type_scheme)
  `.execute(trx)
}

export async function insertMembers(trx: Transaction<Database>, rows: readonly MemberRow[]): Promise<void> {
  if (rows.length === 0) return
  await sql`
    INSERT INTO household_member (province_code, household_id, name, relation, id_number_sealed, id_number_index, birth_date, sex, phone_sealed,
      phone_index, health, work_status, monthly_income_fen, marital_status, school_stage, medical_insurance, model_worker)
    SELECT * FROM unnest(
      ${col(rows, 'province_code')}::text[], ${col(rows, 'household_id')}::uuid[], ${col(rows, 'name')}::text[], ${col(rows, 'relation')}::text[],
      ${col(rows, 'id_number_sealed')}::text[], ${col(rows, 'id_number_index')}::text[], ${col(rows, 'birth_date')}::date[], ${col(rows, 'sex')}::text[],
      ${col(rows, 'phone_sealed')}::text[], ${col(rows, 'phone_index')}::text[], ${col(rows, 'health')}::text[], ${col(rows, 'work_status')}::text[],
      ${col(rows, 'monthly_income_fen')}::bigint[], ${col(rows, 'marital_status')}::text[], ${col(rows, 'school_stage')}::text[],
      ${col(rows, 'medical_insurance')}::text[], ${col(rows, 'model_worker')}::text[]
    )
  `.execute(trx)
}

export async function insertRegistry(trx: Transaction<Database>, rows: readonly RegistryRow[]): Promise<void> {
  if (rows.length === 0) return
  await sql`
    INSERT INTO person_registry (id_number_index, household_id, province_code, region_code, org_id)
    SELECT * FROM unnest(${col(rows, 'id_number_index')}::text[], ${col(rows, 'household_id')}::uuid[], ${col(rows, 'province_code')}::text[],
      ${col(rows, 'region_code')}::text[], ${col(rows, 'org_id')}::uuid[])
  `.execute(trx)
}

/** The file's history: one 'household.import' event per household, as recordEvent() writes them one by one. */
export async function insertImportEvents(
  trx: Transaction<Database>,
  actor: { id: string | null; name: string },
  rows: readonly { province_code: string; household_id: string; after: string; note: string }[],
): Promise<void> {
  if (rows.length === 0) return
  await sql`
    INSERT INTO household_event (province_code, household_id, episode, action, actor_id, actor_name, after, note)
    SELECT province_code, household_id, 1, 'household.import', ${actor.id}::uuid, ${actor.name}, after::jsonb, note
    FROM unnest(${col(rows, 'province_code')}::text[], ${col(rows, 'household_id')}::uuid[], ${col(rows, 'after')}::text[], ${col(rows, 'note')}::text[])
      AS t(province_code, household_id, after, note)
  `.execute(trx)
}

/** Nationwide and unscoped on purpose, like households.repository registryEntries: the one-household rule crosses every scope. */
export function registryHits(db: Executor, indexes: readonly string[]): Promise<RegistryRow[]> {
  if (indexes.length === 0) return Promise.resolve([])
  return db
    .selectFrom('person_registry')
    .select(['id_number_index', 'household_id', 'province_code', 'region_code', 'org_id'])
    .where(sql<boolean>`id_number_index = ANY(${[...indexes]}::text[])`)
    .execute()
}
