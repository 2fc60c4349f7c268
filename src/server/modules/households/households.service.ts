import type { Database, Kysely } from '../../db/database.ts'
import { maskPhone, maskResidentId } from '../../platform/codes/masking.ts'
import { parsePhone } from '../../platform/codes/phone.ts'
import { parseResidentId } from '../../platform/codes/resident-id.ts'
import { AppError, type FieldError, invalid, isUniqueViolation, notFound, text } from '../../platform/errors.ts'
import { chinaDate } from '../../platform/china-date.ts'
import { isUuid } from '../../platform/ids.ts'
import type { PiiCipher } from '../../platform/pii-crypto.ts'
import { actorOf, type Principal, requirePermission } from '../../platform/principal.ts'
import { nationalScope, regionPrefixOf, scopeCovers } from '../../platform/scope.ts'
import * as audit from '../audit/audit.service.ts'
import { findOrgInScope } from '../orgs/orgs.service.ts'
import { findRegion, regionFullName } from '../regions/regions.service.ts'
import * as repo from './households.repository.ts'
import type { MemberRelation, Sex } from './households.tables.ts'

// Closed lists of member codes (domain.md §3); the labels belong to the web app.
export const memberRelations = ['head', 'spouse', 'child', 'parent', 'other'] as const satisfies readonly MemberRelation[]
export const healthStatuses = ['healthy', 'chronic_illness', 'serious_illness', 'disability_1', 'disability_2', 'disability_3', 'disability_4'] as const
export const workStatuses = ['employed', 'laid_off', 'unemployed', 'retired', 'student', 'unable_to_work'] as const

export type HealthStatus = (typeof healthStatuses)[number]
export type WorkStatus = (typeof workStatuses)[number]

const PII_RESIDENT_ID = 'resident_id'
const PII_PHONE = 'phone'

export interface MemberInput {
  name: string
  relation: string
  idNumber: string
  phone?: string | null
  health: string
  workStatus: string
  monthlyIncomeFen: number | bigint
}

export interface FileHouseholdInput {
  /** the county (GB/T 2260) where the household lives */
  regionCode: string
  /** the union organisation filing it */
  orgId: string
  address: string
  members: MemberInput[]
}

export interface Member {
  id: string
  name: string
  relation: MemberRelation
  /** masked (`4101**********1234`) unless the household was read in full view */
  idNumber: string
  phone: string | null
  birthDate: string
  sex: Sex
  health: string
  workStatus: string
  monthlyIncomeFen: bigint
}

export interface Household {
  id: string
  fileNo: string
  regionCode: string
  /** 河南省 郑州市 中原区 */
  regionName: string
  orgId: string
  address: string
  status: string
  episode: number
  createdAt: Date
  updatedAt: Date
  /** true when ID and phone numbers are shown in full (and the view was audited) */
  fullView: boolean
  members: Member[]
}

const isOneOf = <T extends string>(list: readonly T[], value: unknown): value is T => typeof value === 'string' && (list as readonly string[]).includes(value)

const problems = {
  empty: text('must not be empty', '不能为空'),
  tooLong: (n: number) => text(`must be at most ${n} characters`, `不能超过${n}个字符`),
  relation: text('must be one of head, spouse, child, parent, other', '与户主关系不是可识别的代码'),
  health: text(`must be one of ${healthStatuses.join(', ')}`, '健康状况不是可识别的代码'),
  workStatus: text(`must be one of ${workStatuses.join(', ')}`, '就业状况不是可识别的代码'),
  income: text('must be a whole number of fen, zero or more', '必须是不小于0的整数（单位：分）'),
  noMembers: text('a household needs at least one member', '家庭至少要有一名成员'),
  noHead: text('exactly one member must be the head of household; none is', '必须有且只有一名户主，目前没有'),
  secondHead: text('exactly one member must be the head of household; this is a second one', '必须有且只有一名户主，此为第二名'),
  sameIdTwice: text('the same ID number is already given for another member of this household', '与本户另一成员的身份证号码相同'),
  region: text('must be a county-level GB/T 2260 code', '必须是县级行政区划代码（GB/T 2260）'),
  regionScope: text('is outside your data scope', '超出您的数据范围'),
  org: text('is not an organisation within your data scope', '不是您数据范围内的组织'),
  orgRegion: text("the household's county must lie within the organisation's region", '家庭所在县区必须位于建档组织的行政区划之内'),
}

interface ValidMember {
  name: string
  relation: MemberRelation
  idNumber: string
  idNumberIndex: string
  birthDate: string
  sex: Sex
  phone: string | null
  health: HealthStatus
  workStatus: WorkStatus
  monthlyIncomeFen: bigint
}

function trimmed(value: unknown): string {
  return typeof value === 'string' ? value.trim() : ''
}

/** Every member checked, every problem collected: the caller fixes the whole form at once. */
function validateMembers(members: readonly MemberInput[], cipher: PiiCipher, errors: FieldError[]): ValidMember[] {
  if (!Array.isArray(members) || members.length === 0) {
    errors.push({ field: 'members', message: problems.noMembers })
    return []
  }
  const valid: ValidMember[] = []
  const seenIds = new Set<string>()
  let heads = 0
  members.forEach((m, i) => {
    const at = (field: string) => `members[${i}].${field}`
    const before = errors.length
    const name = trimmed(m.name)
    if (!name) errors.push({ field: at('name'), message: problems.empty })
    else if (name.length > 50) errors.push({ field: at('name'), message: problems.tooLong(50) })

    if (!isOneOf(memberRelations, m.relation)) errors.push({ field: at('relation'), message: problems.relation })
    else if (m.relation === 'head' && ++heads > 1) errors.push({ field: at('relation'), message: problems.secondHead })

    const id = parseResidentId(m.idNumber)
    if (!id.ok) errors.push({ field: at('idNumber'), message: id.problem })
    else if (seenIds.has(id.id)) errors.push({ field: at('idNumber'), message: problems.sameIdTwice })
    else seenIds.add(id.id)

    let phone: string | null = null
    if (m.phone !== undefined && m.phone !== null && trimmed(m.phone) !== '') {
      const parsed = parsePhone(m.phone)
      if (parsed.ok) phone = parsed.normalised
      else errors.push({ field: at('phone'), message: parsed.problem })
    }

    if (!isOneOf(healthStatuses, m.health)) errors.push({ field: at('health'), message: problems.health })
    if (!isOneOf(workStatuses, m.workStatus)) errors.push({ field: at('workStatus'), message: problems.workStatus })

    const income = m.monthlyIncomeFen
    const incomeOk = (typeof income === 'bigint' && income >= 0n) || (typeof income === 'number' && Number.isSafeInteger(income) && income >= 0)
    if (!incomeOk) errors.push({ field: at('monthlyIncomeFen'), message: problems.income })

    if (errors.length === before && id.ok) {
      valid.push({
        name,
        relation: m.relation as MemberRelation,
        idNumber: id.id,
        idNumberIndex: cipher.blindIndex(PII_RESIDENT_ID, id.id),
        birthDate: id.birthDate,
        sex: id.sex,
        phone,
        health: m.health as HealthStatus,
        workStatus: m.workStatus as WorkStatus,
        monthlyIncomeFen: BigInt(income),
      })
    }
  })
  if (heads === 0 && members.every((m) => isOneOf(memberRelations, m.relation))) {
    errors.push({ field: 'members', message: problems.noHead })
  }
  return valid
}

/**
 * The refusal of a second filing (domain.md §3): it names where the person is on file —
 * the region and the organisation holding the file — and nothing about the person or the
 * other household, which the caller may have no right to see.
 */
async function alreadyOnFile(db: Kysely<Database>, p: Principal, field: string, holder: repo.RegistryEntry): Promise<AppError> {
  const regionName = await regionFullName(db, holder.region_code)
  // The holder may lie outside the caller's scope; only its name is disclosed, which the rule itself requires.
  const org = await findOrgInScope(db, { ...p, scope: nationalScope }, holder.org_id)
  const orgName = org?.name ?? ''
  const message = text(
    `This person is already on an active household file in ${regionName}, held by ${orgName}; one person can be on only one household file`,
    `此人已在${regionName}（${orgName}）建档，一人只能属于一个在档家庭`,
  )
  return new AppError('CONFLICT', message, [{ field, message }] satisfies FieldError[])
}

async function firstRegistered(db: Kysely<Database>, p: Principal, members: readonly ValidMember[]): Promise<AppError | null> {
  const entries = await repo.registryEntries(db, members.map((m) => m.idNumberIndex))
  const byIndex = new Map(entries.map((e) => [e.id_number_index, e]))
  const i = members.findIndex((m) => byIndex.has(m.idNumberIndex))
  return i < 0 ? null : alreadyOnFile(db, p, `members[${i}].idNumber`, byIndex.get(members[i]!.idNumberIndex)!)
}

/** Files a new household (建档) as a draft, with its members entered in the nationwide register. */
export async function fileHousehold(db: Kysely<Database>, p: Principal, cipher: PiiCipher, input: FileHouseholdInput): Promise<Household> {
  requirePermission(p, 'household.write')
  const errors: FieldError[] = []

  const address = trimmed(input.address)
  if (!address) errors.push({ field: 'address', message: problems.empty })
  else if (address.length > 200) errors.push({ field: 'address', message: problems.tooLong(200) })

  const region = typeof input.regionCode === 'string' ? await findRegion(db, input.regionCode) : null
  if (!region || region.level !== 'county') errors.push({ field: 'regionCode', message: problems.region })
  else if (!scopeCovers(p.scope, region.code)) errors.push({ field: 'regionCode', message: problems.regionScope })

  const org = typeof input.orgId === 'string' ? await findOrgInScope(db, p, input.orgId) : null
  if (!org || !org.active) errors.push({ field: 'orgId', message: problems.org })
  else if (region && !region.code.startsWith(regionPrefixOf(org.regionCode || null))) errors.push({ field: 'orgId', message: problems.orgRegion })

  const members = validateMembers(input.members, cipher, errors)
  if (errors.length > 0) throw new AppError('VALIDATION_FAILED', undefined, errors)
  const county = region!.code
  const orgId = org!.id

  // A friendly early answer; the register's primary key below is what decides a race.
  const early = await firstRegistered(db, p, members)
  if (early) throw early

  let id: string
  try {
    id = await db.transaction().execute(async (trx) => {
      const year = Number(chinaDate().slice(0, 4)) // the filing year in China
      const no = await repo.nextFileNumber(trx, county, year)
      const fileNo = `${county}-${year}-${String(no).padStart(6, '0')}`
      const householdId = await repo.insertHousehold(trx, { fileNo, regionCode: county, orgId, address, createdBy: p.userId })
      await repo.insertMembers(
        trx,
        { id: householdId, regionCode: county, orgId },
        members.map((m) => ({
          name: m.name,
          relation: m.relation,
          idNumberSealed: cipher.encrypt(m.idNumber),
          idNumberIndex: m.idNumberIndex,
          birthDate: m.birthDate,
          sex: m.sex,
          phoneSealed: m.phone === null ? null : cipher.encrypt(m.phone),
          phoneIndex: m.phone === null ? null : cipher.blindIndex(PII_PHONE, m.phone),
          health: m.health,
          workStatus: m.workStatus,
          monthlyIncomeFen: m.monthlyIncomeFen,
        })),
      )
      // No personal data in the log: masked ID numbers at most.
      await audit.record(trx, {
        actor: actorOf(p),
        action: 'household.file',
        entityType: 'household',
        entityId: householdId,
        regionCode: county,
        after: {
          fileNo,
          regionCode: county,
          orgId,
          status: 'draft',
          members: members.map((m) => ({ relation: m.relation, idNumber: maskResidentId(m.idNumber) })),
        },
        requestId: p.requestId,
      })
      return householdId
    })
  } catch (err) {
    if (!isUniqueViolation(err, repo.PERSON_REGISTRY_PKEY)) throw err
    // Another filing of the same person committed between our check and our insert.
    const raced = await firstRegistered(db, p, members)
    throw raced ?? new AppError('CONFLICT')
  }
  return read(db, p, cipher, id, false)
}

async function read(db: Kysely<Database>, p: Principal, cipher: PiiCipher, id: string, fullView: boolean): Promise<Household> {
  const h = await repo.findInScope(db, p.scope, id)
  if (!h) throw notFound()
  const members = await repo.membersOf(db, h.province_code, h.id)
  const reveal = (sealed: string) => cipher.decrypt(sealed)
  return {
    id: h.id,
    fileNo: h.file_no,
    regionCode: h.region_code,
    regionName: await regionFullName(db, h.region_code),
    orgId: h.org_id,
    address: h.address,
    status: h.status,
    episode: h.episode,
    createdAt: h.created_at,
    updatedAt: h.updated_at,
    fullView,
    members: members.map((m) => {
      const idNumber = reveal(m.id_number_sealed)
      const phone = m.phone_sealed === null ? null : reveal(m.phone_sealed)
      return {
        id: m.id,
        name: m.name,
        relation: m.relation,
        idNumber: fullView ? idNumber : maskResidentId(idNumber),
        phone: phone === null ? null : fullView ? phone : maskPhone(phone),
        birthDate: m.birth_date,
        sex: m.sex,
        health: m.health,
        workStatus: m.work_status,
        monthlyIncomeFen: m.monthly_income_fen,
      }
    }),
  }
}

/**
 * One household file. ID and phone numbers are masked unless a full view is asked for and
 * the caller's role allows it (pii.view); every full view is written to the audit log
 * (domain.md §11) before the numbers are returned.
 */
export async function getHousehold(db: Kysely<Database>, p: Principal, cipher: PiiCipher, id: string, options: { fullView?: boolean } = {}): Promise<Household> {
  requirePermission(p, 'household.read')
  if (!isUuid(id)) throw notFound()
  const fullView = options.fullView === true && p.permissions.has('pii.view')
  if (!fullView) return read(db, p, cipher, id, false)
  const h = await repo.findInScope(db, p.scope, id)
  if (!h) throw notFound()
  await db.transaction().execute((trx) =>
    audit.record(trx, {
      actor: actorOf(p),
      action: 'member.view_full',
      entityType: 'household',
      entityId: h.id,
      regionCode: h.region_code,
      after: { fields: ['idNumber', 'phone'] },
      requestId: p.requestId,
    }),
  )
  return read(db, p, cipher, id, true)
}

/** Exact search by resident ID number, through the blind index; a household outside the caller's scope is not found. */
export async function findByIdNumber(db: Kysely<Database>, p: Principal, cipher: PiiCipher, idNumber: string): Promise<Household | null> {
  requirePermission(p, 'household.read')
  const parsed = parseResidentId(idNumber)
  if (!parsed.ok) throw invalid('idNumber', parsed.problem)
  const h = await repo.findInScopeByIdNumberIndex(db, p.scope, cipher.blindIndex(PII_RESIDENT_ID, parsed.id))
  return h ? read(db, p, cipher, h.id, false) : null
}
