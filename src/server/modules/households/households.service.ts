import type { Database, Kysely, Transaction } from '../../db/database.ts'
import { parseBankCard } from '../../platform/codes/bank-card.ts'
import { parseCreditCode } from '../../platform/codes/credit-code.ts'
import { maskBankCard, maskName, maskPhone, maskResidentId } from '../../platform/codes/masking.ts'
import { parsePhone } from '../../platform/codes/phone.ts'
import { parseResidentId } from '../../platform/codes/resident-id.ts'
import { AppError, type FieldError, invalid, isUniqueViolation, notFound, type Text, text } from '../../platform/errors.ts'
import { chinaDate } from '../../platform/china-date.ts'
import { trimmed } from '../../platform/fields.ts'
import { isUuid } from '../../platform/ids.ts'
import type { PiiCipher } from '../../platform/pii-crypto.ts'
import { actorOf, type Principal, requirePermission } from '../../platform/principal.ts'
import { nationalScope, regionPrefixOf, scopeCovers } from '../../platform/scope.ts'
import * as audit from '../audit/audit.service.ts'
import { findOrgInScope } from '../orgs/orgs.service.ts'
import { findRegion, regionFullName } from '../regions/regions.service.ts'
import { standardInForce } from '../standards/standards.service.ts'
import { type Classification, type ClassificationFacts, classify } from './classification.ts'
import {
  CAUSE_SCHEME,
  type HardshipCause,
  hardshipCauses,
  type HouseholdFacts,
  type HealthStatus,
  healthStatuses,
  housingTypes,
  hukouTypes,
  isOneOf,
  maritalStatuses,
  medicalInsurances,
  type MemberFacts,
  memberRelations,
  modelWorkerTypes,
  type Restructuring,
  restructurings,
  type SchoolStage,
  schoolStages,
  type SocialInsuranceStatus,
  socialInsuranceStatuses,
  TYPE_SCHEME,
  type WorkStatus,
  workStatuses,
} from './codes.ts'
import { recordEvent } from './history.ts'
import * as repo from './households.repository.ts'
import type { Batch, HouseholdStatus, MemberRelation, Sex } from './households.tables.ts'

export { healthStatuses, memberRelations, workStatuses } from './codes.ts'
export type { HealthStatus, WorkStatus } from './codes.ts'

export const PII_RESIDENT_ID = 'resident_id'
export const PII_PHONE = 'phone'
export const PII_BANK_ACCOUNT = 'bank_account'

type Fen = number | bigint

export interface MemberInput {
  /** an existing member being edited (updateHousehold); its ID number cannot change */
  id?: string
  name: string
  relation: string
  /** required for a new member; ignored for an existing one */
  idNumber?: string
  /** undefined on an edit keeps the stored number; null or '' clears it */
  phone?: string | null
  health: string
  workStatus: string
  monthlyIncomeFen: Fen
  maritalStatus?: string | null
  schoolStage?: string | null
  medicalInsurance?: string | null
  modelWorker?: string | null
}

/** What the case worker's form says about the household besides its members (issue 3 §1, §4). */
export interface HouseholdFactsInput {
  hukouType?: string | null
  housingType?: string | null
  /** square metres, at most one decimal */
  housingArea?: string | number | null
  employerCreditCode?: string | null
  employerName?: string | null
  inDibao?: boolean
  migrantWorker?: boolean
  restructuring?: string | null
  socialInsurance?: string | null
  yearlyIncomeFen?: Fen
  yearlyRigidSpendingFen?: Fen
  yearlyHardshipSpendingFen?: Fen
  primaryCause?: string | null
  secondaryCauses?: string[]
  bankName?: string | null
  /** undefined on an edit keeps the stored number; null or '' clears it */
  bankAccount?: string | null
}

export interface FileHouseholdInput extends HouseholdFactsInput {
  /** the county (GB/T 2260) where the household lives */
  regionCode: string
  /** the union organisation filing it */
  orgId: string
  address: string
  members: MemberInput[]
}

export interface UpdateHouseholdInput extends HouseholdFactsInput {
  /** the version the editor saw */
  version: number
  address: string
  members: MemberInput[]
}

export interface Member extends MemberFacts {
  id: string
}

export interface HouseholdClassification {
  /** null: not in hardship by the standard in force (or none was in force) */
  hardshipType: string | null
  /** the scheme the type belongs to: 'gb2026' when computed here, an older one when imported */
  typeScheme: string
  perCapitaMonthlyFen: bigint | null
  targetGroups: number[]
  batches: Batch[]
  zeroEmployment: boolean
  standardId: string | null
  classifiedAt: Date | null
  /** the rules that fired and their figures */
  reason: unknown
}

export interface Household extends HouseholdFacts {
  id: string
  fileNo: string
  regionCode: string
  /** 河南省 郑州市 中原区 */
  regionName: string
  orgId: string
  orgName: string
  address: string
  headName: string
  status: HouseholdStatus
  episode: number
  version: number
  causeScheme: string
  classification: HouseholdClassification
  bankName: string | null
  /** masked unless read in full view */
  bankAccount: string | null
  helper: { orgId: string; orgName: string; person: string | null; pairedOn: string | null } | null
  lastVisitOn: string | null
  submittedAt: Date | null
  verifiedAt: Date | null
  endedAt: Date | null
  endReason: string | null
  endNote: string | null
  createdAt: Date
  updatedAt: Date
  /** true when ID, phone and account numbers are shown in full (and the view was audited) */
  fullView: boolean
  members: Member[]
}

const codeList = (list: readonly (string | number)[]) => list.join(', ')

const problems = {
  empty: text('must not be empty', '不能为空'),
  tooLong: (n: number) => text(`must be at most ${n} characters`, `不能超过${n}个字符`),
  code: (list: readonly string[], zh: string) => text(`must be one of ${codeList(list)}`, `${zh}不是可识别的代码`),
  income: text('must be a whole number of fen, zero or more', '必须是不小于0的整数（单位：分）'),
  area: text('must be a number of square metres above 0 with at most one decimal', '必须是大于0的面积（平方米），最多一位小数'),
  noMembers: text('a household needs at least one member', '家庭至少要有一名成员'),
  noHead: text('exactly one member must be the head of household; none is', '必须有且只有一名户主，目前没有'),
  secondHead: text('exactly one member must be the head of household; this is a second one', '必须有且只有一名户主，此为第二名'),
  sameIdTwice: text('the same ID number is already given for another member of this household', '与本户另一成员的身份证号码相同'),
  unknownMember: text('is not a member of this household', '不是本户的成员'),
  region: text('must be a county-level GB/T 2260 code', '必须是县级行政区划代码（GB/T 2260）'),
  regionScope: text('is outside your data scope', '超出您的数据范围'),
  org: text('is not an organisation within your data scope', '不是您数据范围内的组织'),
  orgRegion: text("the household's county must lie within the organisation's region", '家庭所在县区必须位于建档组织的行政区划之内'),
  secondaryCauses: text('at most three secondary causes, each a cause code, none repeating the primary cause', '次要致困原因最多三项，须为致困原因代码，且不能与主要原因重复'),
  secondaryWithoutPrimary: text('give the primary cause before secondary ones', '请先填写主要致困原因'),
  bankNameMissing: text('give the bank with the account number', '填写银行账号时须填写开户银行'),
  notEditable: (status: string) => text(`a file in status ${status} cannot be edited`, `当前状态（${status}）的档案不能修改`),
  stale: text('the file was changed by someone else since you opened it; reload and edit again', '档案已被他人修改，请刷新后重新编辑'),
}

const memberCodes = {
  relation: problems.code(memberRelations, '与户主关系'),
  health: problems.code(healthStatuses, '健康状况'),
  workStatus: problems.code(workStatuses, '就业状况'),
  maritalStatus: problems.code(maritalStatuses, '婚姻状况'),
  schoolStage: problems.code(schoolStages, '就学阶段'),
  medicalInsurance: problems.code(medicalInsurances, '医疗保险'),
  modelWorker: problems.code(modelWorkerTypes, '劳模类型'),
}

interface ValidMember {
  /** set when editing an existing member */
  id: string | null
  name: string
  relation: MemberRelation
  /** null for an existing member (its number is not re-read) */
  idNumber: string | null
  idNumberIndex: string | null
  birthDate: string | null
  sex: Sex | null
  /** undefined: keep the stored number */
  phone: string | null | undefined
  health: HealthStatus
  workStatus: WorkStatus
  monthlyIncomeFen: bigint
  maritalStatus: string | null
  schoolStage: string | null
  medicalInsurance: string | null
  modelWorker: string | null
}


function fenOf(value: unknown): bigint | null {
  if (typeof value === 'bigint') return value >= 0n ? value : null
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value)
  if (typeof value === 'string' && /^[0-9]{1,15}$/.test(value)) return BigInt(value)
  return null
}

/** An optional code: absent or empty is null, anything else must be on the list. */
function optionalCode<T extends string>(value: unknown, list: readonly T[], field: string, message: Text, errors: FieldError[]): T | null {
  if (value === undefined || value === null || value === '') return null
  if (isOneOf(list, value)) return value
  errors.push({ field, message })
  return null
}

/** Every member checked, every problem collected: the caller fixes the whole form at once. */
function validateMembers(members: readonly MemberInput[], cipher: PiiCipher, errors: FieldError[], existing: ReadonlyMap<string, repo.MemberRecord> = new Map()): ValidMember[] {
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

    if (!isOneOf(memberRelations, m.relation)) errors.push({ field: at('relation'), message: memberCodes.relation })
    else if (m.relation === 'head' && ++heads > 1) errors.push({ field: at('relation'), message: problems.secondHead })

    // An existing member keeps its number; a new one must give a valid one.
    const old = m.id === undefined ? undefined : existing.get(m.id)
    let id: { idNumber: string; index: string; birthDate: string; sex: Sex } | null = null
    if (m.id !== undefined) {
      if (!old) errors.push({ field: at('id'), message: problems.unknownMember })
      else if (seenIds.has(old.id_number_index)) errors.push({ field: at('id'), message: problems.sameIdTwice })
      else seenIds.add(old.id_number_index)
    } else {
      const parsed = parseResidentId(m.idNumber)
      if (!parsed.ok) errors.push({ field: at('idNumber'), message: parsed.problem })
      else {
        const index = cipher.blindIndex(PII_RESIDENT_ID, parsed.id)
        if (seenIds.has(index)) errors.push({ field: at('idNumber'), message: problems.sameIdTwice })
        else seenIds.add(index)
        id = { idNumber: parsed.id, index, birthDate: parsed.birthDate, sex: parsed.sex }
      }
    }

    let phone: string | null | undefined = old ? undefined : null
    if (m.phone === null || (typeof m.phone === 'string' && m.phone.trim() === '')) phone = null
    else if (m.phone !== undefined) {
      const parsed = parsePhone(m.phone)
      if (parsed.ok) phone = parsed.normalised
      else errors.push({ field: at('phone'), message: parsed.problem })
    }

    if (!isOneOf(healthStatuses, m.health)) errors.push({ field: at('health'), message: memberCodes.health })
    if (!isOneOf(workStatuses, m.workStatus)) errors.push({ field: at('workStatus'), message: memberCodes.workStatus })
    const income = fenOf(m.monthlyIncomeFen)
    if (income === null) errors.push({ field: at('monthlyIncomeFen'), message: problems.income })
    const maritalStatus = optionalCode(m.maritalStatus, maritalStatuses, at('maritalStatus'), memberCodes.maritalStatus, errors)
    const schoolStage = optionalCode(m.schoolStage, schoolStages, at('schoolStage'), memberCodes.schoolStage, errors)
    const medicalInsurance = optionalCode(m.medicalInsurance, medicalInsurances, at('medicalInsurance'), memberCodes.medicalInsurance, errors)
    const modelWorker = optionalCode(m.modelWorker, modelWorkerTypes, at('modelWorker'), memberCodes.modelWorker, errors)

    if (errors.length === before && (old || id)) {
      valid.push({
        id: old?.id ?? null,
        name,
        relation: m.relation as MemberRelation,
        idNumber: id?.idNumber ?? null,
        idNumberIndex: id?.index ?? old!.id_number_index,
        birthDate: id?.birthDate ?? null,
        sex: id?.sex ?? null,
        phone,
        health: m.health as HealthStatus,
        workStatus: m.workStatus as WorkStatus,
        monthlyIncomeFen: income!,
        maritalStatus,
        schoolStage,
        medicalInsurance,
        modelWorker,
      })
    }
  })
  if (heads === 0 && members.every((m) => isOneOf(memberRelations, m.relation))) {
    errors.push({ field: 'members', message: problems.noHead })
  }
  return valid
}

/** The household's facts as columns, each problem named by its field. */
interface ValidFacts {
  hukou_type: string | null
  housing_type: string | null
  housing_area: string | null
  employer_credit_code: string | null
  employer_name: string | null
  in_dibao: boolean
  migrant_worker: boolean
  restructuring: Restructuring | null
  social_insurance: SocialInsuranceStatus | null
  yearly_income_fen: bigint
  yearly_rigid_spending_fen: bigint
  yearly_hardship_spending_fen: bigint
  primary_cause: HardshipCause | null
  secondary_causes: HardshipCause[]
  bank_name: string | null
  /** undefined: keep the stored account */
  bankAccount: string | null | undefined
}

function validateFacts(input: HouseholdFactsInput, errors: FieldError[], editing: boolean): ValidFacts {
  const optionalText = (value: unknown, field: string, max: number): string | null => {
    const t = trimmed(value)
    if (!t) return null
    if (t.length > max) errors.push({ field, message: problems.tooLong(max) })
    return t
  }
  const money = (value: unknown, field: string): bigint => {
    if (value === undefined || value === null) return 0n
    const fen = fenOf(value)
    if (fen === null) errors.push({ field, message: problems.income })
    return fen ?? 0n
  }

  let housingArea: string | null = null
  if (input.housingArea !== undefined && input.housingArea !== null && input.housingArea !== '') {
    const raw = String(input.housingArea).trim()
    if (/^[0-9]{1,6}(\.[0-9])?$/.test(raw) && Number(raw) > 0) housingArea = raw
    else errors.push({ field: 'housingArea', message: problems.area })
  }

  let creditCode: string | null = null
  if (trimmed(input.employerCreditCode)) {
    const parsed = parseCreditCode(input.employerCreditCode)
    if (parsed.ok) creditCode = parsed.code
    else errors.push({ field: 'employerCreditCode', message: parsed.problem })
  }

  const primary = optionalCode(input.primaryCause, hardshipCauses, 'primaryCause', problems.code(hardshipCauses, '主要致困原因'), errors)
  const secondary = Array.isArray(input.secondaryCauses) ? input.secondaryCauses.filter((c) => c !== '') : []
  const secondaryOk =
    secondary.length <= 3 && secondary.every((c) => isOneOf(hardshipCauses, c)) && new Set(secondary).size === secondary.length && !(primary !== null && (secondary as string[]).includes(primary))
  if (!secondaryOk) errors.push({ field: 'secondaryCauses', message: problems.secondaryCauses })
  else if (secondary.length > 0 && input.primaryCause == null) errors.push({ field: 'secondaryCauses', message: problems.secondaryWithoutPrimary })

  const bankName = optionalText(input.bankName, 'bankName', 50)
  let bankAccount: string | null | undefined = editing ? undefined : null
  if (input.bankAccount === null || (typeof input.bankAccount === 'string' && input.bankAccount.trim() === '')) bankAccount = null
  else if (input.bankAccount !== undefined) {
    const parsed = parseBankCard(input.bankAccount)
    if (parsed.ok) bankAccount = parsed.number
    else errors.push({ field: 'bankAccount', message: parsed.problem })
    if (!bankName) errors.push({ field: 'bankName', message: problems.bankNameMissing })
  }

  return {
    hukou_type: optionalCode(input.hukouType, hukouTypes, 'hukouType', problems.code(hukouTypes, '户口类型'), errors),
    housing_type: optionalCode(input.housingType, housingTypes, 'housingType', problems.code(housingTypes, '住房类型'), errors),
    housing_area: housingArea,
    employer_credit_code: creditCode,
    employer_name: optionalText(input.employerName, 'employerName', 100),
    in_dibao: input.inDibao === true,
    migrant_worker: input.migrantWorker === true,
    restructuring: optionalCode(input.restructuring, restructurings, 'restructuring', problems.code(restructurings, '下岗或致困情形'), errors),
    social_insurance: optionalCode(input.socialInsurance, socialInsuranceStatuses, 'socialInsurance', problems.code(socialInsuranceStatuses, '社会保险参保情况'), errors),
    yearly_income_fen: money(input.yearlyIncomeFen, 'yearlyIncomeFen'),
    yearly_rigid_spending_fen: money(input.yearlyRigidSpendingFen, 'yearlyRigidSpendingFen'),
    yearly_hardship_spending_fen: money(input.yearlyHardshipSpendingFen, 'yearlyHardshipSpendingFen'),
    primary_cause: primary,
    secondary_causes: secondaryOk ? (secondary as HardshipCause[]) : [],
    bank_name: bankName,
    bankAccount,
  }
}

/** Facts columns without the account, which is sealed separately. */
function factColumns(f: ValidFacts) {
  const { bankAccount: _account, ...columns } = f
  return { ...columns, cause_scheme: CAUSE_SCHEME }
}

function accountColumns(cipher: PiiCipher, account: string | null) {
  return account === null
    ? { bank_account_sealed: null, bank_account_index: null }
    : { bank_account_sealed: cipher.encrypt(account), bank_account_index: cipher.blindIndex(PII_BANK_ACCOUNT, account) }
}

/**
 * The refusal of a second filing (domain.md §3): it names where the person is on file —
 * the region and the organisation holding the file — and nothing about the person or the
 * other household, which the caller may have no right to see.
 */
export async function alreadyOnFile(db: Kysely<Database>, p: Principal, field: string, holder: repo.RegistryEntry): Promise<AppError> {
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

/** The first of the given members (by position in the form) already on some household file, as a refusal. */
async function firstRegistered(db: Kysely<Database>, p: Principal, members: readonly { idNumberIndex: string | null; position: number }[], except?: string): Promise<AppError | null> {
  const wanted = members.filter((m) => m.idNumberIndex !== null)
  const entries = (await repo.registryEntries(db, wanted.map((m) => m.idNumberIndex!))).filter((e) => e.household_id !== except)
  const byIndex = new Map(entries.map((e) => [e.id_number_index, e]))
  const hit = wanted.find((m) => byIndex.has(m.idNumberIndex!))
  return hit ? alreadyOnFile(db, p, `members[${hit.position}].idNumber`, byIndex.get(hit.idNumberIndex!)!) : null
}

function memberInsert(cipher: PiiCipher, m: ValidMember): repo.MemberInsert {
  return {
    name: m.name,
    relation: m.relation,
    idNumberSealed: cipher.encrypt(m.idNumber!),
    idNumberIndex: m.idNumberIndex!,
    birthDate: m.birthDate!,
    sex: m.sex!,
    phoneSealed: m.phone == null ? null : cipher.encrypt(m.phone),
    phoneIndex: m.phone == null ? null : cipher.blindIndex(PII_PHONE, m.phone),
    health: m.health,
    workStatus: m.workStatus,
    monthlyIncomeFen: m.monthlyIncomeFen,
    maritalStatus: m.maritalStatus,
    schoolStage: m.schoolStage,
    medicalInsurance: m.medicalInsurance,
    modelWorker: m.modelWorker,
  }
}

const headNameOf = (members: readonly { relation: string; name: string }[]) => members.find((m) => m.relation === 'head')?.name ?? ''

/**
 * The audit and history picture of a household: its facts, and its members by relation with
 * masked name and ID number — never a full number or name in the log (domain.md §11).
 */
function snapshot(h: { status: string; address: string; facts: Omit<ValidFacts, 'bankAccount'> & { bankAccount?: unknown }; members: readonly { relation: string; name: string; idMasked: string }[] }) {
  const { bankAccount: _account, ...facts } = h.facts
  const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())
  return {
    status: h.status,
    address: h.address,
    ...Object.fromEntries(Object.entries(facts).map(([k, v]) => [camel(k), typeof v === 'bigint' ? v.toString() : v])),
    members: h.members.map((m) => ({ relation: m.relation, name: maskName(m.name), idNumber: m.idMasked })),
  }
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

  const facts = validateFacts(input, errors, false)
  const members = validateMembers(input.members, cipher, errors)
  if (errors.length > 0) throw new AppError('VALIDATION_FAILED', undefined, errors)
  const county = region!.code
  const orgId = org!.id
  const positioned = members.map((m, position) => ({ idNumberIndex: m.idNumberIndex, position }))

  // A friendly early answer; the register's primary key below is what decides a race.
  const early = await firstRegistered(db, p, positioned)
  if (early) throw early

  let id: string
  try {
    id = await db.transaction().execute(async (trx) => {
      const year = Number(chinaDate().slice(0, 4)) // the filing year in China
      const no = await repo.nextFileNumber(trx, county, year)
      const fileNo = `${county}-${year}-${String(no).padStart(6, '0')}`
      const householdId = await repo.insertHousehold(trx, {
        file_no: fileNo,
        region_code: county,
        org_id: orgId,
        address,
        created_by: p.userId,
        head_name: headNameOf(members),
        ...factColumns(facts),
        ...accountColumns(cipher, facts.bankAccount ?? null),
      })
      await repo.insertMembers(trx, { id: householdId, regionCode: county, orgId }, members.map((m) => memberInsert(cipher, m)))
      const after = { fileNo, regionCode: county, orgId, ...snapshot({ status: 'draft', address, facts, members: members.map((m) => ({ ...m, idMasked: maskResidentId(m.idNumber!) })) }) }
      // No personal data in the log: masked ID numbers at most.
      await audit.record(trx, { actor: actorOf(p), action: 'household.file', entityType: 'household', entityId: householdId, regionCode: county, after, requestId: p.requestId })
      await recordEvent(trx, p, { provinceCode: county.slice(0, 2), householdId, episode: 1, action: 'household.file', after })
      await reclassifyHousehold(trx, p, { provinceCode: county.slice(0, 2), id: householdId }, undefined, { quiet: true })
      return householdId
    })
  } catch (err) {
    if (!isUniqueViolation(err, repo.PERSON_REGISTRY_PKEY)) throw err
    // Another filing of the same person committed between our check and our insert.
    const raced = await firstRegistered(db, p, positioned)
    throw raced ?? new AppError('CONFLICT')
  }
  return read(db, p, cipher, id, false)
}

const editableStatuses: readonly HouseholdStatus[] = ['draft', 'verified', 'reverifying']

/**
 * Corrects or updates a file (a draft, or a file on record whose facts changed). Members are
 * matched by id: kept ones are rewritten, missing ones leave the household (and the register),
 * new ones join it (and the register, which refuses a person on another file). The version the
 * editor saw must still be current. The classification is recomputed in the same transaction.
 */
export async function updateHousehold(db: Kysely<Database>, p: Principal, cipher: PiiCipher, id: string, input: UpdateHouseholdInput): Promise<Household> {
  requirePermission(p, 'household.write')
  if (!isUuid(id)) throw notFound()
  const h = await repo.findInScope(db, p.scope, id)
  if (!h) throw notFound()
  if (!editableStatuses.includes(h.status)) throw new AppError('CONFLICT', problems.notEditable(h.status), [{ field: 'status', message: problems.notEditable(h.status) }])
  if (input.version !== h.version) throw new AppError('CONFLICT', problems.stale, [{ field: 'version', message: problems.stale }])

  const errors: FieldError[] = []
  const address = trimmed(input.address)
  if (!address) errors.push({ field: 'address', message: problems.empty })
  else if (address.length > 200) errors.push({ field: 'address', message: problems.tooLong(200) })
  const facts = validateFacts(input, errors, true)
  const stored = await repo.membersOf(db, h.province_code, h.id)
  const members = validateMembers(input.members, cipher, errors, new Map(stored.map((m) => [m.id, m])))
  if (errors.length > 0) throw new AppError('VALIDATION_FAILED', undefined, errors)

  const added = members.map((m, position) => ({ m, position })).filter(({ m }) => m.id === null)
  const early = await firstRegistered(db, p, added.map(({ m, position }) => ({ idNumberIndex: m.idNumberIndex, position })), h.id)
  if (early) throw early

  const kept = new Set(members.flatMap((m) => (m.id ? [m.id] : [])))
  const removed = stored.filter((m) => !kept.has(m.id))
  const masked = (sealed: string) => maskResidentId(cipher.decrypt(sealed))
  const before = snapshot({
    status: h.status,
    address: h.address,
    facts: pickFacts(h),
    members: stored.map((m) => ({ relation: m.relation, name: m.name, idMasked: masked(m.id_number_sealed) })),
  })
  const storedById = new Map(stored.map((m) => [m.id, m]))
  const after = snapshot({
    status: h.status,
    address,
    facts,
    members: members.map((m) => ({ relation: m.relation, name: m.name, idMasked: m.id ? masked(storedById.get(m.id)!.id_number_sealed) : maskResidentId(m.idNumber!) })),
  })

  try {
    await db.transaction().execute(async (trx) => {
      const ok = await repo.updateHousehold(
        trx,
        { provinceCode: h.province_code, id: h.id, version: input.version },
        { address, head_name: headNameOf(members), ...factColumns(facts), ...(facts.bankAccount === undefined ? {} : accountColumns(cipher, facts.bankAccount)) },
      )
      if (!ok) throw new AppError('CONFLICT', problems.stale, [{ field: 'version', message: problems.stale }])
      await repo.deleteMembers(trx, h.province_code, h.id, removed.map((m) => m.id_number_index))
      for (const m of members) {
        if (!m.id) continue
        const old = storedById.get(m.id)!
        const phone = m.phone === undefined ? { phoneSealed: old.phone_sealed, phoneIndex: old.phone_index } : m.phone === null ? { phoneSealed: null, phoneIndex: null } : { phoneSealed: cipher.encrypt(m.phone), phoneIndex: cipher.blindIndex(PII_PHONE, m.phone) }
        await repo.updateMember(trx, h.province_code, m.id, {
          ...memberInsert(cipher, { ...m, idNumber: '', phone: null, birthDate: old.birth_date, sex: old.sex }),
          idNumberSealed: old.id_number_sealed,
          ...phone,
        })
      }
      // Registry rows exist only while the file is active; a draft holds them too (it was filed).
      await repo.insertMembers(trx, { id: h.id, regionCode: h.region_code, orgId: h.org_id }, added.map(({ m }) => memberInsert(cipher, m)))
      await audit.record(trx, { actor: actorOf(p), action: 'household.update', entityType: 'household', entityId: h.id, regionCode: h.region_code, before, after, requestId: p.requestId })
      await recordEvent(trx, p, { provinceCode: h.province_code, householdId: h.id, episode: h.episode, action: 'household.update', before, after })
      await reclassifyHousehold(trx, p, { provinceCode: h.province_code, id: h.id }, undefined, { quiet: true })
    })
  } catch (err) {
    if (!isUniqueViolation(err, repo.PERSON_REGISTRY_PKEY)) throw err
    const raced = await firstRegistered(db, p, added.map(({ m, position }) => ({ idNumberIndex: m.idNumberIndex, position })), h.id)
    throw raced ?? new AppError('CONFLICT')
  }
  return read(db, p, cipher, id, false)
}

function pickFacts(h: repo.HouseholdRecord): Omit<ValidFacts, 'bankAccount'> {
  return {
    hukou_type: h.hukou_type,
    housing_type: h.housing_type,
    housing_area: h.housing_area,
    employer_credit_code: h.employer_credit_code,
    employer_name: h.employer_name,
    in_dibao: h.in_dibao,
    migrant_worker: h.migrant_worker,
    restructuring: h.restructuring as Restructuring | null,
    social_insurance: h.social_insurance as SocialInsuranceStatus | null,
    yearly_income_fen: h.yearly_income_fen,
    yearly_rigid_spending_fen: h.yearly_rigid_spending_fen,
    yearly_hardship_spending_fen: h.yearly_hardship_spending_fen,
    primary_cause: h.primary_cause as HardshipCause | null,
    secondary_causes: h.secondary_causes as HardshipCause[],
    bank_name: h.bank_name,
  }
}

/** The facts the classification reads, from a stored household and its members. */
export function classificationFacts(h: repo.HouseholdRecord, members: readonly repo.MemberRecord[]): ClassificationFacts {
  return {
    members: members.map((m) => ({
      birthDate: m.birth_date,
      health: m.health as HealthStatus,
      workStatus: m.work_status as WorkStatus,
      monthlyIncomeFen: m.monthly_income_fen,
      schoolStage: m.school_stage as SchoolStage | null,
      medicalInsurance: m.medical_insurance as ClassificationFacts['members'][number]['medicalInsurance'],
    })),
    yearlyIncomeFen: h.yearly_income_fen,
    yearlyRigidSpendingFen: h.yearly_rigid_spending_fen,
    yearlyHardshipSpendingFen: h.yearly_hardship_spending_fen,
    inDibao: h.in_dibao,
    migrantWorker: h.migrant_worker,
    restructuring: h.restructuring as Restructuring | null,
    socialInsurance: h.social_insurance as SocialInsuranceStatus | null,
    primaryCause: h.primary_cause as HardshipCause | null,
    secondaryCauses: h.secondary_causes as HardshipCause[],
  }
}

const sameList = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((x, i) => x === b[i])

/**
 * Re-applies the standard in force on `on` (default: today in China) to a stored household and
 * stores the result with its reason (domain.md §4). Runs in the caller's transaction: after an
 * edit, when a standard changes (standards module job) and in the yearly re-verification.
 * A change of type, groups or batches is written to the file's history (unless `quiet`, for the
 * write that already records the whole change).
 */
export async function reclassifyHousehold(
  trx: Transaction<Database>,
  p: Principal,
  ref: { provinceCode: string; id: string },
  on: string = chinaDate(),
  options: { quiet?: boolean } = {},
): Promise<Classification> {
  const h = await trx.selectFrom('household').selectAll().where('province_code', '=', ref.provinceCode).where('id', '=', ref.id).forUpdate().executeTakeFirstOrThrow()
  const members = await repo.membersOf(trx, h.province_code, h.id)
  const standard = await standardInForce(trx, h.region_code, on)
  const c = classify(classificationFacts(h, members), standard, on)
  const changed =
    c.hardshipType !== h.hardship_type ||
    h.type_scheme !== TYPE_SCHEME ||
    c.perCapitaMonthlyFen !== h.per_capita_monthly_fen ||
    !sameList(c.targetGroups, h.target_groups) ||
    !sameList(c.batches, h.batches) ||
    c.zeroEmployment !== h.zero_employment ||
    (standard?.id ?? null) !== h.standard_id
  if (!changed && h.classified_at !== null) return c
  await trx
    .updateTable('household')
    .set({
      hardship_type: c.hardshipType,
      type_scheme: TYPE_SCHEME,
      per_capita_monthly_fen: c.perCapitaMonthlyFen,
      target_groups: c.targetGroups,
      batches: c.batches,
      zero_employment: c.zeroEmployment,
      classification: JSON.stringify(c.reason),
      standard_id: standard?.id ?? null,
      classified_at: new Date(),
    })
    .where('province_code', '=', h.province_code)
    .where('id', '=', h.id)
    .execute()
  if (!options.quiet) {
    const view = (type: string | null, scheme: string, groups: readonly number[], batches: readonly string[]) => ({ hardshipType: type, typeScheme: scheme, targetGroups: groups, batches })
    await recordEvent(trx, p, {
      provinceCode: h.province_code,
      householdId: h.id,
      episode: h.episode,
      action: 'household.reclassify',
      before: view(h.hardship_type, h.type_scheme, h.target_groups, h.batches),
      after: view(c.hardshipType, TYPE_SCHEME, c.targetGroups, c.batches),
    })
  }
  return c
}

async function read(db: Kysely<Database>, p: Principal, cipher: PiiCipher, id: string, fullView: boolean): Promise<Household> {
  const h = await repo.findInScope(db, p.scope, id)
  if (!h) throw notFound()
  const members = await repo.membersOf(db, h.province_code, h.id)
  const reveal = (sealed: string) => cipher.decrypt(sealed)
  // Organisation names are read at national scope: a helper unit may sit outside the reader's scope, its name is not secret.
  const orgNames = await repo.orgNames(db, [h.org_id, ...(h.helper_org_id ? [h.helper_org_id] : [])])
  const account = h.bank_account_sealed === null ? null : reveal(h.bank_account_sealed)
  return {
    id: h.id,
    fileNo: h.file_no,
    regionCode: h.region_code,
    regionName: await regionFullName(db, h.region_code),
    orgId: h.org_id,
    orgName: orgNames.get(h.org_id) ?? '',
    address: h.address,
    headName: h.head_name,
    status: h.status,
    episode: h.episode,
    version: h.version,
    hukouType: h.hukou_type,
    housingType: h.housing_type,
    housingArea: h.housing_area,
    employerCreditCode: h.employer_credit_code,
    employerName: h.employer_name,
    inDibao: h.in_dibao,
    migrantWorker: h.migrant_worker,
    restructuring: h.restructuring,
    socialInsurance: h.social_insurance,
    yearlyIncomeFen: h.yearly_income_fen,
    yearlyRigidSpendingFen: h.yearly_rigid_spending_fen,
    yearlyHardshipSpendingFen: h.yearly_hardship_spending_fen,
    primaryCause: h.primary_cause,
    secondaryCauses: h.secondary_causes,
    causeScheme: h.cause_scheme,
    classification: {
      hardshipType: h.hardship_type,
      typeScheme: h.type_scheme,
      perCapitaMonthlyFen: h.per_capita_monthly_fen,
      targetGroups: h.target_groups,
      batches: h.batches,
      zeroEmployment: h.zero_employment,
      standardId: h.standard_id,
      classifiedAt: h.classified_at,
      reason: h.classification,
    },
    bankName: h.bank_name,
    bankAccount: account === null ? null : fullView ? account : maskBankCard(account),
    helper: h.helper_org_id ? { orgId: h.helper_org_id, orgName: orgNames.get(h.helper_org_id) ?? '', person: h.helper_person, pairedOn: h.paired_on } : null,
    lastVisitOn: h.last_visit_on,
    submittedAt: h.submitted_at,
    verifiedAt: h.verified_at,
    endedAt: h.ended_at,
    endReason: h.end_reason,
    endNote: h.end_note,
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
        maritalStatus: m.marital_status,
        schoolStage: m.school_stage,
        medicalInsurance: m.medical_insurance,
        modelWorker: m.model_worker,
      }
    }),
  }
}

/**
 * One household file. ID, phone and account numbers are masked unless a full view is asked for
 * and the caller's role allows it (pii.view); every full view is written to the audit log
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
      after: { fields: ['idNumber', 'phone', 'bankAccount'] },
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
