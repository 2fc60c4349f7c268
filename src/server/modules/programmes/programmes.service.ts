import type { Database, Kysely } from '../../db/database.ts'
import { AppError, type FieldError, isUniqueViolation, notFound, text } from '../../platform/errors.ts'
import { isUuid } from '../../platform/ids.ts'
import { actorOf, type Principal, requirePermission } from '../../platform/principal.ts'
import * as audit from '../audit/audit.service.ts'
import { findRegion } from '../regions/regions.service.ts'
import type { ProgrammeKind } from './programmes.tables.ts'
import * as repo from './programmes.repository.ts'
import { type BenefitFormula, type EligibilityRule, type Frequency, frequencies, MAX_AMOUNT_FEN, validateFormula, validateRule } from './rules.ts'

/**
 * The programme catalogue (issue 4 §1; domain.md §5). Read by whoever holds programme.read: the
 * programmes that apply inside their scope (national, of the regions above it, of regions inside
 * it). Managed (programme.manage) only inside the caller's own scope: one above it they can read
 * but not change, and it answers NOT_FOUND to a write like a missing one. Every write is audited
 * and bumps the version; a write names the version it read.
 */

export const programmeKinds = [
  'living_subsidy',
  'festival_relief',
  'education_aid',
  'medical_aid',
  'temporary_aid',
  'entrepreneurship',
  'skills_training',
  'graduate_employment',
] as const satisfies readonly ProgrammeKind[]

export interface Programme {
  id: string
  code: string
  nameZh: string
  nameEn: string
  kind: ProgrammeKind
  fundType: string
  eligibility: EligibilityRule
  formula: BenefitFormula
  frequency: Frequency
  capPerHouseholdYearFen: bigint | null
  approvalKind: string
  postingRequired: boolean
  postingDays: number
  policyBasis: string
  regionPrefix: string
  active: boolean
  version: number
  createdAt: Date
  updatedAt: Date
}

export interface ProgrammeInput {
  code?: string
  nameZh?: string
  nameEn?: string
  kind?: string
  fundType?: string
  eligibility?: unknown
  formula?: unknown
  frequency?: string
  capPerHouseholdYearFen?: string | null
  approvalKind?: string
  postingRequired?: boolean
  postingDays?: number
  policyBasis?: string
  regionPrefix?: string
}

const toProgramme = (r: repo.ProgrammeRecord): Programme => ({
  id: r.id,
  code: r.code,
  nameZh: r.name_zh,
  nameEn: r.name_en,
  kind: r.kind as ProgrammeKind,
  fundType: r.fund_type,
  eligibility: r.eligibility as EligibilityRule,
  formula: r.formula as BenefitFormula,
  frequency: r.frequency as Frequency,
  capPerHouseholdYearFen: r.cap_per_household_year_fen === null ? null : BigInt(r.cap_per_household_year_fen),
  approvalKind: r.approval_kind,
  postingRequired: r.posting_required,
  postingDays: r.posting_days,
  policyBasis: r.policy_basis,
  regionPrefix: r.region_prefix,
  active: r.active,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

const CODE = /^[a-z][a-z0-9_]{1,47}$/
const SLUG = /^[a-z][a-z0-9_.]{0,79}$/
/** 'programme.application' (the province's policy for every programme), or a programme's own approval levels: 'programme.<name>'. */
const APPROVAL_KIND = /^programme\.[a-z][a-z_]{0,60}$/
const PREFIX = /^([0-9]{2}|[0-9]{4}|[0-9]{6})?$/
const NAME_MAX = 100
const BASIS_MAX = 300

const problems = {
  code: text('must be 2–48 characters: lower-case letters, digits and _, starting with a letter', '必须是 2–48 个字符：小写字母、数字和下划线，以字母开头'),
  codeTaken: text('is already used by another programme', '已被其他项目使用'),
  name: text(`must be 1–${NAME_MAX} characters`, `必须是 1–${NAME_MAX} 个字符`),
  kind: text(`must be one of: ${programmeKinds.join(', ')}`, `必须是以下之一：${programmeKinds.join('、')}`),
  slug: text('must be lower-case letters, digits, _ and ., starting with a letter', '必须由小写字母、数字、下划线和点组成，以字母开头'),
  approvalKind: text("must read 'programme.application' or 'programme.' and lower-case letters and _", "须为 'programme.application' 或 'programme.' 加小写字母和下划线"),
  frequency: text(`must be one of: ${frequencies.join(', ')}`, `必须是以下之一：${frequencies.join('、')}`),
  cap: text('must be a whole number of fen from 1 to 100000000, or empty for no cap', '必须是 1 至 100000000 之间的整数（单位：分），留空表示不设上限'),
  postingDays: text('must be a whole number of days from 1 to 60', '必须是 1 至 60 之间的整数天数'),
  basis: text(`must be at most ${BASIS_MAX} characters`, `不能超过${BASIS_MAX}个字符`),
  prefix: text("must be empty (national) or a region prefix of 2, 4 or 6 digits", '必须为空（全国）或 2、4、6 位行政区划前缀'),
  prefixScope: text('is outside your data scope', '超出您的数据范围'),
  prefixUnknown: text('is not a known region', '不是已知的行政区划'),
  stale: text('the programme was changed by someone else; reload it and try again', '该项目已被他人修改，请刷新后重试'),
}

/** The region code a prefix stands for: 41 → 410000, 4101 → 410100, '' → null. */
export function regionCodeOfPrefix(prefix: string): string | null {
  return prefix === '' ? null : prefix.padEnd(6, '0')
}

function requireRead(p: Principal): void {
  if (!p.permissions.has('programme.read') && !p.permissions.has('programme.manage')) throw new AppError('FORBIDDEN')
}

/** A caller manages the programmes of their own subtree (industry-scoped users none). */
function manages(p: Principal, regionPrefix: string): boolean {
  return p.scope.industry === null && regionPrefix.startsWith(p.scope.regionPrefix)
}

export async function listProgrammes(db: Kysely<Database>, p: Principal, f: { kind?: string; includeInactive?: boolean } = {}): Promise<Programme[]> {
  requireRead(p)
  return (await repo.list(db, p.scope, f)).map(toProgramme)
}

export async function getProgramme(db: Kysely<Database>, p: Principal, id: string): Promise<Programme> {
  requireRead(p)
  if (!isUuid(id)) throw notFound()
  const r = await repo.findVisible(db, p.scope, id)
  if (!r) throw notFound()
  return toProgramme(r)
}

function parseCap(v: unknown): bigint | null | undefined {
  if (v === null || v === '') return null
  if (typeof v !== 'string' || !/^[0-9]{1,12}$/.test(v)) return undefined
  const n = BigInt(v)
  return n >= 1n && n <= MAX_AMOUNT_FEN ? n : undefined
}

/** Checks the fields present in `input` (all of them when `creating`) and returns the columns to write. */
async function checkFields(db: Kysely<Database>, p: Principal, input: ProgrammeInput, creating: boolean): Promise<Partial<repo.ProgrammeInsert>> {
  const errors: FieldError[] = []
  const out: Partial<repo.ProgrammeInsert> = {}
  const has = (k: keyof ProgrammeInput) => creating || input[k] !== undefined
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '')

  if (creating) {
    const code = str(input.code)
    if (!CODE.test(code)) errors.push({ field: 'code', message: problems.code })
    else out.code = code
  }
  for (const [k, col] of [['nameZh', 'name_zh'], ['nameEn', 'name_en']] as const) {
    if (!has(k)) continue
    const v = str(input[k])
    if (v.length < 1 || v.length > NAME_MAX) errors.push({ field: k, message: problems.name })
    else out[col] = v
  }
  if (has('kind')) {
    if (!(programmeKinds as readonly string[]).includes(input.kind as string)) errors.push({ field: 'kind', message: problems.kind })
    else out.kind = input.kind as ProgrammeKind
  }
  if (has('fundType')) {
    const v = str(input.fundType)
    if (!SLUG.test(v)) errors.push({ field: 'fundType', message: problems.slug })
    else out.fund_type = v
  }
  if (has('eligibility')) {
    const r = validateRule(input.eligibility, 'eligibility')
    if (r.ok) out.eligibility = r.value
    else errors.push(...r.errors)
  }
  if (has('formula')) {
    const r = validateFormula(input.formula, 'formula')
    if (r.ok) out.formula = r.value
    else errors.push(...r.errors)
  }
  if (has('frequency')) {
    if (!(frequencies as readonly string[]).includes(input.frequency as string)) errors.push({ field: 'frequency', message: problems.frequency })
    else out.frequency = input.frequency as string
  }
  if (input.capPerHouseholdYearFen !== undefined || creating) {
    const cap = parseCap(input.capPerHouseholdYearFen ?? null)
    if (cap === undefined) errors.push({ field: 'capPerHouseholdYearFen', message: problems.cap })
    else out.cap_per_household_year_fen = cap
  }
  if (input.approvalKind !== undefined) {
    const v = str(input.approvalKind)
    if (!APPROVAL_KIND.test(v)) errors.push({ field: 'approvalKind', message: problems.approvalKind })
    else out.approval_kind = v
  }
  if (input.postingRequired !== undefined) out.posting_required = input.postingRequired
  if (input.postingDays !== undefined) {
    if (!Number.isInteger(input.postingDays) || input.postingDays < 1 || input.postingDays > 60) errors.push({ field: 'postingDays', message: problems.postingDays })
    else out.posting_days = input.postingDays
  }
  if (input.policyBasis !== undefined) {
    const v = str(input.policyBasis)
    if (v.length > BASIS_MAX) errors.push({ field: 'policyBasis', message: problems.basis })
    else out.policy_basis = v
  }
  if (creating) {
    const prefix = str(input.regionPrefix ?? p.scope.regionPrefix)
    if (!PREFIX.test(prefix)) errors.push({ field: 'regionPrefix', message: problems.prefix })
    else if (!manages(p, prefix)) errors.push({ field: 'regionPrefix', message: problems.prefixScope })
    else if (prefix !== '' && !(await findRegion(db, regionCodeOfPrefix(prefix)!))) errors.push({ field: 'regionPrefix', message: problems.prefixUnknown })
    else out.region_prefix = prefix
  }
  if (errors.length) throw new AppError('VALIDATION_FAILED', undefined, errors)
  return out
}

function auditView(r: repo.ProgrammeRecord) {
  const { created_at: _c, updated_at: _u, created_by: _b, ...rest } = r
  return { ...rest, cap_per_household_year_fen: r.cap_per_household_year_fen === null ? null : String(r.cap_per_household_year_fen) }
}

export async function createProgramme(db: Kysely<Database>, p: Principal, input: ProgrammeInput): Promise<Programme> {
  requirePermission(p, 'programme.manage')
  const cols = (await checkFields(db, p, input, true)) as repo.ProgrammeInsert
  try {
    return await db.transaction().execute(async (trx) => {
      const id = await repo.insert(trx, { ...cols, created_by: p.userId })
      const row = (await repo.findVisible(trx, { regionPrefix: '', industry: null }, id))!
      await audit.record(trx, {
        actor: actorOf(p),
        action: 'programme.create',
        entityType: 'programme',
        entityId: id,
        regionCode: regionCodeOfPrefix(row.region_prefix),
        after: auditView(row),
        requestId: p.requestId,
      })
      return toProgramme(row)
    })
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('CONFLICT', problems.codeTaken, [{ field: 'code', message: problems.codeTaken }] satisfies FieldError[])
    throw err
  }
}

/** Changes the fields given (not the code nor the region); `active: false` deactivates, `true` reactivates. */
export async function updateProgramme(
  db: Kysely<Database>,
  p: Principal,
  id: string,
  input: ProgrammeInput & { version: number; active?: boolean },
  action = 'programme.update',
): Promise<Programme> {
  requirePermission(p, 'programme.manage')
  if (!isUuid(id)) throw notFound()
  const found = await repo.findVisible(db, p.scope, id)
  if (!found || !manages(p, found.region_prefix)) throw notFound()
  const cols = await checkFields(db, p, { ...input, code: undefined, regionPrefix: undefined }, false)
  return db.transaction().execute(async (trx) => {
    const n = await repo.update(trx, id, input.version, { ...cols, ...(input.active !== undefined ? { active: input.active } : {}) })
    if (n === 0) throw new AppError('CONFLICT', problems.stale, [{ field: 'version', message: problems.stale }] satisfies FieldError[])
    const row = (await repo.findVisible(trx, { regionPrefix: '', industry: null }, id))!
    await audit.record(trx, {
      actor: actorOf(p),
      action,
      entityType: 'programme',
      entityId: id,
      regionCode: regionCodeOfPrefix(row.region_prefix),
      before: auditView(found),
      after: auditView(row),
      requestId: p.requestId,
    })
    return toProgramme(row)
  })
}

/** Takes a programme out of the catalogue for new applications; it stays readable (includeInactive). */
export function deactivateProgramme(db: Kysely<Database>, p: Principal, id: string, version: number): Promise<Programme> {
  return updateProgramme(db, p, id, { version, active: false }, 'programme.deactivate')
}
