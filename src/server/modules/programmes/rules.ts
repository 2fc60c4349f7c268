import { type FieldError, text } from '../../platform/errors.ts'
import { batches, hardshipTypes, healthStatuses, householdStatuses, schoolStages, targetGroups, workStatuses } from '../households/codes.ts'

/**
 * The programme catalogue's rules as data (issue 4 §1; domain.md §5): an eligibility rule is an
 * all-of list of conditions of a closed set of typed kinds, and a benefit formula is one of a closed
 * set of typed kinds. Nothing here is code per programme and nothing evaluates free text. Every
 * decision comes back with its lines: which condition or step, and the figures it looked at.
 *
 * Money: whole fen. In JSON (the stored documents and the API) an amount is a decimal string of
 * fen; in code a bigint. Shares and rates are integer basis points (10000 = 100 %). Every product
 * is rounded DOWN to a whole fen, once, at the end of its step (floor of a non-negative quotient),
 * so a benefit never exceeds what the formula allows.
 *
 * Pure: no database, no clock.
 */

export const BP = 10_000n

// ---------------------------------------------------------------- eligibility

export const conditionKinds = [
  'hardshipType',
  'targetGroup',
  'batch',
  'status',
  'memberSchoolStage',
  'memberHealth',
  'memberWorkStatus',
  'perCapitaBelowFen',
] as const
export type ConditionKind = (typeof conditionKinds)[number]

export type Condition =
  | { kind: 'hardshipType'; anyOf: string[] }
  | { kind: 'targetGroup'; anyOf: number[] }
  | { kind: 'batch'; anyOf: string[] }
  | { kind: 'status'; anyOf: string[] }
  /** some member's school stage is one of these */
  | { kind: 'memberSchoolStage'; anyOf: string[] }
  /** some member's health is one of these */
  | { kind: 'memberHealth'; anyOf: string[] }
  /** some member's work status is one of these */
  | { kind: 'memberWorkStatus'; anyOf: string[] }
  /** the household's monthly income per capita (as classified) is strictly below this many fen */
  | { kind: 'perCapitaBelowFen'; value: string }

/** All conditions must hold; an empty list admits every household. */
export interface EligibilityRule {
  allOf: Condition[]
}

/** The allowed values of each list-valued condition kind: the code lists of the household file. */
export const conditionValues: Record<Exclude<ConditionKind, 'perCapitaBelowFen'>, readonly (string | number)[]> = {
  hardshipType: hardshipTypes,
  targetGroup: targetGroups,
  batch: batches,
  status: householdStatuses,
  memberSchoolStage: schoolStages,
  memberHealth: healthStatuses,
  memberWorkStatus: workStatuses,
}

export interface FactsMember {
  /** the member's id, when a request names members (金秋助学: which students) */
  id?: string
  schoolStage: string | null
  health: string
  workStatus: string
}

/** What the rules read from a household file (households service getHousehold gives all of it). */
export interface ProgrammeFacts {
  status: string
  hardshipType: string | null
  targetGroups: readonly number[]
  batches: readonly string[]
  /** monthly, per capita, whole fen; null when not classified */
  perCapitaMonthlyFen: bigint | null
  members: readonly FactsMember[]
}

export type Figure = string | number | boolean | null | (string | number | null)[]

export interface EligibilityLine {
  condition: Condition
  passed: boolean
  /** the figures looked at; money as strings of fen */
  figures: Record<string, Figure>
}

export interface EligibilityResult {
  eligible: boolean
  lines: EligibilityLine[]
}

function memberCheck(anyOf: readonly string[], seen: (string | null)[]): { passed: boolean; figures: Record<string, Figure> } {
  const matching = seen.filter((s) => s !== null && anyOf.includes(s)).length
  return { passed: matching > 0, figures: { seen, matching } }
}

function checkOne(c: Condition, f: ProgrammeFacts): EligibilityLine {
  switch (c.kind) {
    case 'hardshipType':
      return { condition: c, passed: f.hardshipType !== null && c.anyOf.includes(f.hardshipType), figures: { hardshipType: f.hardshipType } }
    case 'targetGroup':
      return { condition: c, passed: f.targetGroups.some((g) => c.anyOf.includes(g)), figures: { targetGroups: [...f.targetGroups] } }
    case 'batch':
      return { condition: c, passed: f.batches.some((b) => c.anyOf.includes(b)), figures: { batches: [...f.batches] } }
    case 'status':
      return { condition: c, passed: c.anyOf.includes(f.status), figures: { status: f.status } }
    case 'memberSchoolStage':
      return { condition: c, ...memberCheck(c.anyOf, f.members.map((m) => m.schoolStage)) }
    case 'memberHealth':
      return { condition: c, ...memberCheck(c.anyOf, f.members.map((m) => m.health)) }
    case 'memberWorkStatus':
      return { condition: c, ...memberCheck(c.anyOf, f.members.map((m) => m.workStatus)) }
    case 'perCapitaBelowFen': {
      const pc = f.perCapitaMonthlyFen
      return {
        condition: c,
        passed: pc !== null && pc < BigInt(c.value),
        figures: { perCapitaMonthlyFen: pc === null ? null : pc.toString(), limitFen: c.value },
      }
    }
  }
}

/** Checks every condition (none is skipped, so a refusal names all that failed), with the figures seen. */
export function checkEligibility(rule: EligibilityRule, facts: ProgrammeFacts): EligibilityResult {
  const lines = rule.allOf.map((c) => checkOne(c, facts))
  return { eligible: lines.every((l) => l.passed), lines }
}

// ---------------------------------------------------------------- benefit

export const formulaKinds = ['fixedByHardshipType', 'bySchoolStage', 'shareOfCost', 'fixed', 'loan'] as const
export type FormulaKind = (typeof formulaKinds)[number]

export type BenefitFormula =
  /** an amount per period by the household's hardship type; a type without an amount gets nothing */
  | { kind: 'fixedByHardshipType'; amounts: Partial<Record<'deep' | 'relative' | 'accident', string>> }
  /** an amount per student by school stage; the students are the members at a stage with an amount */
  | { kind: 'bySchoolStage'; amounts: Record<string, string> }
  /** a share of the out-of-pocket cost given in the application, at most capFen per application */
  | { kind: 'shareOfCost'; shareBp: number; capFen: string }
  | { kind: 'fixed'; amountFen: string }
  /** the principal requested, at most maxPrincipalFen; interest subsidised at interestSubsidyBp a year over termMonths */
  | { kind: 'loan'; maxPrincipalFen: string; interestSubsidyBp: number; termMonths: number }

/** What an application adds to the file's facts. */
export interface BenefitRequest {
  /** shareOfCost: the out-of-pocket cost, whole fen */
  outOfPocketFen?: bigint
  /** loan: the principal asked for, whole fen */
  requestedFen?: bigint
  /** bySchoolStage: only these members (by id); default every member at a stage with an amount */
  memberIds?: readonly string[]
}

export interface BenefitLine {
  step: string
  figures: Record<string, Figure>
}

export interface BenefitResult {
  /** the benefit of this application, whole fen (loan: the principal granted) */
  amountFen: bigint
  /** loan only: the interest subsidy over the whole term, whole fen */
  interestSubsidyFen?: bigint
  lines: BenefitLine[]
}

const minBig = (a: bigint, b: bigint) => (a < b ? a : b)

/** floor(amount × bp / 10000) for non-negative figures. */
export function shareOf(amountFen: bigint, bp: number): bigint {
  return (amountFen * BigInt(bp)) / BP
}

/**
 * The benefit one application earns. A request missing a figure its formula needs (no cost, no
 * principal) earns 0, with a line that says which figure was missing; the application service
 * refuses such a request before it gets here.
 */
export function computeBenefit(formula: BenefitFormula, facts: ProgrammeFacts, request: BenefitRequest = {}): BenefitResult {
  switch (formula.kind) {
    case 'fixed':
      return { amountFen: BigInt(formula.amountFen), lines: [{ step: 'fixed', figures: { amountFen: formula.amountFen } }] }
    case 'fixedByHardshipType': {
      const t = facts.hardshipType
      const amount = t !== null && (t === 'deep' || t === 'relative' || t === 'accident') ? formula.amounts[t] : undefined
      return {
        amountFen: amount === undefined ? 0n : BigInt(amount),
        lines: [{ step: 'byHardshipType', figures: { hardshipType: t, amountFen: amount ?? null } }],
      }
    }
    case 'bySchoolStage': {
      const lines: BenefitLine[] = []
      let total = 0n
      facts.members.forEach((m, i) => {
        if (request.memberIds && (m.id === undefined || !request.memberIds.includes(m.id))) return
        const amount = m.schoolStage === null ? undefined : formula.amounts[m.schoolStage]
        if (amount === undefined) return
        total += BigInt(amount)
        lines.push({ step: 'student', figures: { member: m.id ?? i, schoolStage: m.schoolStage, amountFen: amount } })
      })
      lines.push({ step: 'total', figures: { students: lines.length, amountFen: total.toString() } })
      return { amountFen: total, lines }
    }
    case 'shareOfCost': {
      const cost = request.outOfPocketFen
      if (cost === undefined || cost < 0n) return { amountFen: 0n, lines: [{ step: 'missing', figures: { outOfPocketFen: null } }] }
      const share = shareOf(cost, formula.shareBp)
      const cap = BigInt(formula.capFen)
      const amount = minBig(share, cap)
      return {
        amountFen: amount,
        lines: [
          { step: 'share', figures: { outOfPocketFen: cost.toString(), shareBp: formula.shareBp, shareFen: share.toString() } },
          { step: 'cap', figures: { capFen: formula.capFen, capped: share > cap, amountFen: amount.toString() } },
        ],
      }
    }
    case 'loan': {
      const asked = request.requestedFen
      if (asked === undefined || asked <= 0n) return { amountFen: 0n, interestSubsidyFen: 0n, lines: [{ step: 'missing', figures: { requestedFen: null } }] }
      const max = BigInt(formula.maxPrincipalFen)
      const principal = minBig(asked, max)
      // simple interest on the principal over the term: principal × rate(bp a year) × months / (10000 × 12), rounded down
      const subsidy = (principal * BigInt(formula.interestSubsidyBp) * BigInt(formula.termMonths)) / (BP * 12n)
      return {
        amountFen: principal,
        interestSubsidyFen: subsidy,
        lines: [
          { step: 'principal', figures: { requestedFen: asked.toString(), maxPrincipalFen: formula.maxPrincipalFen, capped: asked > max, principalFen: principal.toString() } },
          { step: 'interestSubsidy', figures: { interestSubsidyBp: formula.interestSubsidyBp, termMonths: formula.termMonths, interestSubsidyFen: subsidy.toString() } },
        ],
      }
    }
  }
}

// ---------------------------------------------------------------- caps

export interface CapResult {
  amountFen: bigint
  capped: boolean
  figures: { requestedFen: string; alreadyGrantedFen: string; capFen: string | null; remainingFen: string | null }
}

/**
 * A cap per household per year: grants what is requested, at most what the cap leaves after what
 * was already granted this year (never below 0). No cap (null): everything requested.
 */
export function applyCap(requestedFen: bigint, alreadyGrantedThisYearFen: bigint, capFen: bigint | null): CapResult {
  if (capFen === null) {
    return { amountFen: requestedFen, capped: false, figures: { requestedFen: requestedFen.toString(), alreadyGrantedFen: alreadyGrantedThisYearFen.toString(), capFen: null, remainingFen: null } }
  }
  const left = capFen - alreadyGrantedThisYearFen
  const remaining = left > 0n ? left : 0n
  const amount = minBig(requestedFen, remaining)
  return {
    amountFen: amount,
    capped: amount < requestedFen,
    figures: { requestedFen: requestedFen.toString(), alreadyGrantedFen: alreadyGrantedThisYearFen.toString(), capFen: capFen.toString(), remainingFen: remaining.toString() },
  }
}

// ---------------------------------------------------------------- periods

/**
 * How often a household may receive a programme: one application per programme and period.
 * 'one_off' pays once per application (temporary aid): its period is the day, so the per-year cap
 * is what limits it. 'academic_year' (金秋助学) runs from 1 September.
 */
export const frequencies = ['monthly', 'quarterly', 'yearly', 'academic_year', 'one_off'] as const
export type Frequency = (typeof frequencies)[number]

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/

/** The period key of a day 'YYYY-MM-DD': '2026-11', '2026Q4', '2026', '2026/2027', or the day for one-off. */
export function periodOf(frequency: Frequency, date: string): string {
  const m = DAY.exec(date)
  if (!m) throw new RangeError(`not a date: ${date}`)
  const year = Number(m[1])
  const month = Number(m[2])
  if (month < 1 || month > 12) throw new RangeError(`not a date: ${date}`)
  switch (frequency) {
    case 'monthly':
      return `${m[1]}-${m[2]}`
    case 'quarterly':
      return `${m[1]}Q${Math.ceil(month / 3)}`
    case 'yearly':
      return m[1]!
    case 'academic_year':
      return month >= 9 ? `${year}/${year + 1}` : `${year - 1}/${year}`
    case 'one_off':
      return date
  }
}

// ---------------------------------------------------------------- validation

export const MAX_CONDITIONS = 20
/** 1 000 000 yuan: catches a slipped digit. */
export const MAX_AMOUNT_FEN = 100_000_000n
export const MAX_TERM_MONTHS = 120

const problems = {
  object: text('must be an object', '必须是对象'),
  list: text(`must be a list of at most ${MAX_CONDITIONS} conditions`, `必须是条件列表，最多 ${MAX_CONDITIONS} 条`),
  kind: (kinds: readonly string[]) => text(`must be one of: ${kinds.join(', ')}`, `必须是以下之一：${kinds.join('、')}`),
  anyOf: (values: readonly (string | number)[]) => text(`must be a non-empty list of distinct values from: ${values.join(', ')}`, `必须是非空且不重复的取值列表，取自：${values.join('、')}`),
  fen: text('must be a whole number of fen, as a decimal string, from 1 to 100000000 (1,000,000 yuan)', '必须是以字符串表示的整数（单位：分），1 至 100000000（100 万元）'),
  bp: text('must be a whole number of basis points from 1 to 10000 (10000 = 100 %)', '必须是 1 至 10000 之间的整数基点（10000 = 100%）'),
  term: text(`must be a whole number of months from 1 to ${MAX_TERM_MONTHS}`, `必须是 1 至 ${MAX_TERM_MONTHS} 之间的整数月数`),
  unknown: text('is not a field of this kind', '不是该类型的字段'),
  noAmount: text('must give at least one amount', '至少需要一个金额'),
}

function parseFen(v: unknown): bigint | null {
  if (typeof v !== 'string' || !/^[0-9]{1,12}$/.test(v)) return null
  const n = BigInt(v)
  return n >= 1n && n <= MAX_AMOUNT_FEN ? n : null
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isInt = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max

function extraKeys(o: Record<string, unknown>, allowed: readonly string[], at: string, errors: FieldError[]): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) errors.push({ field: `${at}.${k}`, message: problems.unknown })
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] }

/**
 * Checks an eligibility rule document and names each problem by its path under `at`
 * ('eligibility.allOf[1].anyOf'). Returns a normalised copy (no foreign keys).
 */
export function validateRule(doc: unknown, at = 'eligibility'): Validated<EligibilityRule> {
  const errors: FieldError[] = []
  if (!isObject(doc)) return { ok: false, errors: [{ field: at, message: problems.object }] }
  extraKeys(doc, ['allOf'], at, errors)
  const list = doc.allOf
  if (!Array.isArray(list) || list.length > MAX_CONDITIONS) return { ok: false, errors: [...errors, { field: `${at}.allOf`, message: problems.list }] }
  const out: Condition[] = []
  list.forEach((c, i) => {
    const here = `${at}.allOf[${i}]`
    if (!isObject(c)) return void errors.push({ field: here, message: problems.object })
    const kind = c.kind
    if (typeof kind !== 'string' || !(conditionKinds as readonly string[]).includes(kind)) return void errors.push({ field: `${here}.kind`, message: problems.kind(conditionKinds) })
    if (kind === 'perCapitaBelowFen') {
      extraKeys(c, ['kind', 'value'], here, errors)
      if (parseFen(c.value) === null) return void errors.push({ field: `${here}.value`, message: problems.fen })
      out.push({ kind, value: String(BigInt(c.value as string)) })
      return
    }
    extraKeys(c, ['kind', 'anyOf'], here, errors)
    const allowed = conditionValues[kind as Exclude<ConditionKind, 'perCapitaBelowFen'>]
    const anyOf = c.anyOf
    if (!Array.isArray(anyOf) || anyOf.length === 0 || new Set(anyOf).size !== anyOf.length || !anyOf.every((v) => allowed.includes(v as never))) {
      return void errors.push({ field: `${here}.anyOf`, message: problems.anyOf(allowed) })
    }
    out.push({ kind, anyOf: [...anyOf] } as Condition)
  })
  return errors.length ? { ok: false, errors } : { ok: true, value: { allOf: out } }
}

function validateAmounts(v: unknown, keys: readonly string[], at: string, errors: FieldError[]): Record<string, string> | null {
  if (!isObject(v)) {
    errors.push({ field: at, message: problems.object })
    return null
  }
  const out: Record<string, string> = {}
  let bad = false
  for (const [k, a] of Object.entries(v)) {
    if (!keys.includes(k)) {
      errors.push({ field: `${at}.${k}`, message: problems.kind(keys) })
      bad = true
      continue
    }
    const n = parseFen(a)
    if (n === null) {
      errors.push({ field: `${at}.${k}`, message: problems.fen })
      bad = true
    } else out[k] = n.toString()
  }
  if (!bad && Object.keys(out).length === 0) {
    errors.push({ field: at, message: problems.noAmount })
    return null
  }
  return bad ? null : out
}

/** Checks a benefit formula document, naming each problem by its path under `at` ('formula.amounts.deep'). */
export function validateFormula(doc: unknown, at = 'formula'): Validated<BenefitFormula> {
  const errors: FieldError[] = []
  if (!isObject(doc)) return { ok: false, errors: [{ field: at, message: problems.object }] }
  const kind = doc.kind
  if (typeof kind !== 'string' || !(formulaKinds as readonly string[]).includes(kind)) return { ok: false, errors: [{ field: `${at}.kind`, message: problems.kind(formulaKinds) }] }
  let value: BenefitFormula | null = null
  switch (kind as FormulaKind) {
    case 'fixed': {
      extraKeys(doc, ['kind', 'amountFen'], at, errors)
      const n = parseFen(doc.amountFen)
      if (n === null) errors.push({ field: `${at}.amountFen`, message: problems.fen })
      else value = { kind: 'fixed', amountFen: n.toString() }
      break
    }
    case 'fixedByHardshipType': {
      extraKeys(doc, ['kind', 'amounts'], at, errors)
      const a = validateAmounts(doc.amounts, hardshipTypes, `${at}.amounts`, errors)
      if (a) value = { kind: 'fixedByHardshipType', amounts: a }
      break
    }
    case 'bySchoolStage': {
      extraKeys(doc, ['kind', 'amounts'], at, errors)
      const a = validateAmounts(doc.amounts, schoolStages, `${at}.amounts`, errors)
      if (a) value = { kind: 'bySchoolStage', amounts: a }
      break
    }
    case 'shareOfCost': {
      extraKeys(doc, ['kind', 'shareBp', 'capFen'], at, errors)
      if (!isInt(doc.shareBp, 1, 10_000)) errors.push({ field: `${at}.shareBp`, message: problems.bp })
      const cap = parseFen(doc.capFen)
      if (cap === null) errors.push({ field: `${at}.capFen`, message: problems.fen })
      if (isInt(doc.shareBp, 1, 10_000) && cap !== null) value = { kind: 'shareOfCost', shareBp: doc.shareBp, capFen: cap.toString() }
      break
    }
    case 'loan': {
      extraKeys(doc, ['kind', 'maxPrincipalFen', 'interestSubsidyBp', 'termMonths'], at, errors)
      const max = parseFen(doc.maxPrincipalFen)
      if (max === null) errors.push({ field: `${at}.maxPrincipalFen`, message: problems.fen })
      // 0 bp: an interest-free loan without subsidy
      const bpOk = isInt(doc.interestSubsidyBp, 0, 10_000)
      if (!bpOk) errors.push({ field: `${at}.interestSubsidyBp`, message: problems.bp })
      const termOk = isInt(doc.termMonths, 1, MAX_TERM_MONTHS)
      if (!termOk) errors.push({ field: `${at}.termMonths`, message: problems.term })
      if (max !== null && bpOk && termOk) value = { kind: 'loan', maxPrincipalFen: max.toString(), interestSubsidyBp: doc.interestSubsidyBp as number, termMonths: doc.termMonths as number }
      break
    }
  }
  return errors.length || value === null ? { ok: false, errors } : { ok: true, value }
}

