import { type Insertable, type Selectable, type Updateable, sql } from 'kysely'
import type { Database, Kysely, Transaction } from '../../db/database.ts'
import { type DataScope, inScope } from '../../platform/scope.ts'
import type { HouseholdMemberTable, HouseholdTable, MemberRelation, Sex } from './households.tables.ts'

type Executor = Kysely<Database> | Transaction<Database>

/** The primary key of person_registry: a unique violation on it is a second filing of one person. */
export const PERSON_REGISTRY_PKEY = 'person_registry_pkey'

export type HouseholdRecord = Selectable<HouseholdTable>
export type MemberRecord = Selectable<HouseholdMemberTable>

export interface RegistryEntry {
  household_id: string
  province_code: string
  region_code: string
  org_id: string
}

const scoped = (scope: DataScope) => inScope(scope, { region: 'h.region_code' })

export function findInScope(db: Executor, scope: DataScope, id: string): Promise<HouseholdRecord | undefined> {
  return db.selectFrom('household as h').selectAll('h').where('h.id', '=', id).where(scoped(scope)).executeTakeFirst()
}

/** The household in scope on whose file the person with this blind index is, if any. */
export function findInScopeByIdNumberIndex(db: Executor, scope: DataScope, idNumberIndex: string): Promise<HouseholdRecord | undefined> {
  return db
    .selectFrom('person_registry as r')
    .innerJoin('household as h', (j) => j.onRef('h.province_code', '=', 'r.province_code').onRef('h.id', '=', 'r.household_id'))
    .selectAll('h')
    .where('r.id_number_index', '=', idNumberIndex)
    .where(scoped(scope))
    .executeTakeFirst()
}

export function membersOf(db: Executor, provinceCode: string, householdId: string): Promise<MemberRecord[]> {
  return db
    .selectFrom('household_member')
    .selectAll()
    .where('province_code', '=', provinceCode)
    .where('household_id', '=', householdId)
    // the head first, then by age, as a household register lists them
    .orderBy(sql`relation = 'head'`, 'desc')
    .orderBy('birth_date')
    .orderBy('id')
    .execute()
}

/** Nationwide and unscoped on purpose: the one-household rule holds across every scope. */
export function registryEntries(db: Executor, idNumberIndexes: readonly string[]): Promise<(RegistryEntry & { id_number_index: string })[]> {
  if (idNumberIndexes.length === 0) return Promise.resolve([])
  return db
    .selectFrom('person_registry')
    .select(['id_number_index', 'household_id', 'province_code', 'region_code', 'org_id'])
    .where('id_number_index', 'in', [...idNumberIndexes])
    .execute()
}

/** The next file number of the county in the year; the counter row stays locked until the transaction ends. */
export async function nextFileNumber(trx: Transaction<Database>, regionCode: string, year: number): Promise<number> {
  const { last_no } = await trx
    .insertInto('household_file_counter')
    .values({ province_code: regionCode.slice(0, 2), region_code: regionCode, year, last_no: 1 })
    .onConflict((oc) => oc.columns(['province_code', 'region_code', 'year']).doUpdateSet({ last_no: sql<number>`household_file_counter.last_no + 1` }))
    .returning('last_no')
    .executeTakeFirstOrThrow()
  return last_no
}

/** The household's own columns as the service computed them; province_code follows from the county. */
export type HouseholdValues = Omit<Insertable<HouseholdTable>, 'province_code' | 'id'>

export async function insertHousehold(trx: Transaction<Database>, values: HouseholdValues): Promise<string> {
  const { id } = await trx
    .insertInto('household')
    .values({ ...values, province_code: values.region_code.slice(0, 2) })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

/**
 * Changes a household if it is still at the version the caller saw; bumps the version.
 * Returns false when someone else changed it first (the caller answers 409).
 */
export async function updateHousehold(
  trx: Transaction<Database>,
  ref: { provinceCode: string; id: string; version: number },
  set: Omit<Updateable<HouseholdTable>, 'province_code' | 'id' | 'version'>,
): Promise<boolean> {
  const r = await trx
    .updateTable('household')
    .set({ ...set, version: sql<number>`version + 1`, updated_at: new Date() })
    .where('province_code', '=', ref.provinceCode)
    .where('id', '=', ref.id)
    .where('version', '=', ref.version)
    .executeTakeFirst()
  return r.numUpdatedRows === 1n
}

export interface MemberInsert {
  name: string
  relation: MemberRelation
  idNumberSealed: string
  idNumberIndex: string
  birthDate: string
  sex: Sex
  phoneSealed: string | null
  phoneIndex: string | null
  health: string
  workStatus: string
  monthlyIncomeFen: bigint
  maritalStatus: string | null
  schoolStage: string | null
  medicalInsurance: string | null
  modelWorker: string | null
}

const memberColumns = (m: MemberInsert) => ({
  name: m.name,
  relation: m.relation,
  id_number_sealed: m.idNumberSealed,
  id_number_index: m.idNumberIndex,
  birth_date: m.birthDate,
  sex: m.sex,
  phone_sealed: m.phoneSealed,
  phone_index: m.phoneIndex,
  health: m.health,
  work_status: m.workStatus,
  monthly_income_fen: m.monthlyIncomeFen,
  marital_status: m.maritalStatus,
  school_stage: m.schoolStage,
  medical_insurance: m.medicalInsurance,
  model_worker: m.modelWorker,
})

/** The members and their entries in the nationwide register, in the filing's transaction. */
export async function insertMembers(
  trx: Transaction<Database>,
  household: { id: string; regionCode: string; orgId: string },
  members: readonly MemberInsert[],
): Promise<void> {
  const provinceCode = household.regionCode.slice(0, 2)
  if (members.length === 0) return
  await trx
    .insertInto('household_member')
    .values(members.map((m) => ({ province_code: provinceCode, household_id: household.id, ...memberColumns(m) })))
    .execute()
  await trx
    .insertInto('person_registry')
    .values(
      members.map((m) => ({
        id_number_index: m.idNumberIndex,
        household_id: household.id,
        province_code: provinceCode,
        region_code: household.regionCode,
        org_id: household.orgId,
      })),
    )
    .execute()
}

/** Rewrites a member's facts (the ID number, and with it the registry entry, stays). */
export async function updateMember(trx: Transaction<Database>, provinceCode: string, memberId: string, m: MemberInsert): Promise<void> {
  const { id_number_sealed: _s, id_number_index: _i, ...rest } = memberColumns(m)
  await trx.updateTable('household_member').set(rest).where('province_code', '=', provinceCode).where('id', '=', memberId).execute()
}

/** Removes members from a household and from the nationwide register. */
export async function deleteMembers(trx: Transaction<Database>, provinceCode: string, householdId: string, idNumberIndexes: readonly string[]): Promise<void> {
  if (idNumberIndexes.length === 0) return
  await trx
    .deleteFrom('person_registry')
    .where('household_id', '=', householdId)
    .where('id_number_index', 'in', [...idNumberIndexes])
    .execute()
  await trx
    .deleteFrom('household_member')
    .where('province_code', '=', provinceCode)
    .where('household_id', '=', householdId)
    .where('id_number_index', 'in', [...idNumberIndexes])
    .execute()
}

/** Organisation names by id, unscoped: used for units named on a file the reader may see. */
export async function orgNames(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const rows = await db.selectFrom('org').select(['id', 'name']).where('id', 'in', [...ids]).execute()
  return new Map(rows.map((r) => [r.id, r.name]))
}

/** A household's status and episode, the row locked until the transaction ends. */
export function lockState(trx: Transaction<Database>, provinceCode: string, id: string) {
  return trx.selectFrom('household').select(['status', 'episode']).where('province_code', '=', provinceCode).where('id', '=', id).forUpdate().executeTakeFirst()
}
