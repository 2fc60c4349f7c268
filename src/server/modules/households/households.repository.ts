import { sql } from 'kysely'
import type { Database, Kysely, Transaction } from '../../db/database.ts'
import { type DataScope, inScope } from '../../platform/scope.ts'
import type { MemberRelation, Sex } from './households.tables.ts'

type Executor = Kysely<Database> | Transaction<Database>

/** The primary key of person_registry: a unique violation on it is a second filing of one person. */
export const PERSON_REGISTRY_PKEY = 'person_registry_pkey'

export interface HouseholdRecord {
  id: string
  province_code: string
  file_no: string
  region_code: string
  org_id: string
  address: string
  status: string
  episode: number
  created_by: string | null
  created_at: Date
  updated_at: Date
}

export interface MemberRecord {
  id: string
  name: string
  relation: MemberRelation
  id_number_sealed: string
  birth_date: string
  sex: Sex
  phone_sealed: string | null
  health: string
  work_status: string
  monthly_income_fen: bigint
}

export interface RegistryEntry {
  household_id: string
  province_code: string
  region_code: string
  org_id: string
}

const scoped = (scope: DataScope) => inScope(scope, { region: 'h.region_code' })

const householdColumns = [
  'h.id',
  'h.province_code',
  'h.file_no',
  'h.region_code',
  'h.org_id',
  'h.address',
  'h.status',
  'h.episode',
  'h.created_by',
  'h.created_at',
  'h.updated_at',
] as const

export function findInScope(db: Executor, scope: DataScope, id: string): Promise<HouseholdRecord | undefined> {
  return db.selectFrom('household as h').select(householdColumns).where('h.id', '=', id).where(scoped(scope)).executeTakeFirst()
}

/** The household in scope on whose file the person with this blind index is, if any. */
export function findInScopeByIdNumberIndex(db: Executor, scope: DataScope, idNumberIndex: string): Promise<HouseholdRecord | undefined> {
  return db
    .selectFrom('person_registry as r')
    .innerJoin('household as h', (j) => j.onRef('h.province_code', '=', 'r.province_code').onRef('h.id', '=', 'r.household_id'))
    .select(householdColumns)
    .where('r.id_number_index', '=', idNumberIndex)
    .where(scoped(scope))
    .executeTakeFirst()
}

export function membersOf(db: Executor, provinceCode: string, householdId: string): Promise<MemberRecord[]> {
  return db
    .selectFrom('household_member')
    .select(['id', 'name', 'relation', 'id_number_sealed', 'birth_date', 'sex', 'phone_sealed', 'health', 'work_status', 'monthly_income_fen'])
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

export async function insertHousehold(
  trx: Transaction<Database>,
  values: { fileNo: string; regionCode: string; orgId: string; address: string; createdBy: string | null },
): Promise<string> {
  const { id } = await trx
    .insertInto('household')
    .values({
      province_code: values.regionCode.slice(0, 2),
      file_no: values.fileNo,
      region_code: values.regionCode,
      org_id: values.orgId,
      address: values.address,
      created_by: values.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
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
}

/** The members and their entries in the nationwide register, in the filing's transaction. */
export async function insertMembers(
  trx: Transaction<Database>,
  household: { id: string; regionCode: string; orgId: string },
  members: readonly MemberInsert[],
): Promise<void> {
  const provinceCode = household.regionCode.slice(0, 2)
  await trx
    .insertInto('household_member')
    .values(
      members.map((m) => ({
        province_code: provinceCode,
        household_id: household.id,
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
      })),
    )
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
