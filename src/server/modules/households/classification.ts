import type { Batch } from './households.tables.ts'
import { batches as batchOrder, type HardshipCause, type HardshipType, type HealthStatus, type MedicalInsurance, type Restructuring, type SchoolStage, type SocialInsuranceStatus, type WorkStatus } from './codes.ts'

/**
 * Hardship type, target groups (五类对象) and batches (四个一批) computed from a file by explicit
 * rules (domain.md §4; issue 3 §4), with the reason: which rule fired on which figures.
 * Pure: no database, no clock (the day is passed in).
 */

export interface ClassificationMember {
  birthDate: string
  health: HealthStatus
  workStatus: WorkStatus
  monthlyIncomeFen: bigint
  schoolStage: SchoolStage | null
  medicalInsurance: MedicalInsurance | null
}

export interface ClassificationFacts {
  members: readonly ClassificationMember[]
  yearlyIncomeFen: bigint
  yearlyRigidSpendingFen: bigint
  yearlyHardshipSpendingFen: bigint
  inDibao: boolean
  migrantWorker: boolean
  restructuring: Restructuring | null
  socialInsurance: SocialInsuranceStatus | null
  primaryCause: HardshipCause | null
  secondaryCauses: readonly HardshipCause[]
}

/** The local standard in force for the household's county on the day (standards module). */
export interface StandardFigures {
  id: string
  regionCode: string
  effectiveFrom: string
  dibaoLineFen: bigint
  minWageFen: bigint
  deepMultipleBp: number
  relativeMultipleBp: number
  accidentRatioBp: number
}

/** One rule that fired, with the figures it looked at (money as strings of fen). */
export interface ReasonLine {
  rule: string
  figures: Record<string, string | number | boolean>
}

export interface Classification {
  /** null: not in hardship by the standard (or no standard in force) */
  hardshipType: HardshipType | null
  perCapitaMonthlyFen: bigint | null
  targetGroups: number[]
  batches: Batch[]
  zeroEmployment: boolean
  /** JSON-safe; stored in household.classification */
  reason: { standardId: string | null; on: string; lines: ReasonLine[] }
}

/**
 * Working age, in whole years on the day of classification: 16 ≤ age < 60. The member record
 * carries no sex here, so one bracket applies to everyone (the statutory retirement age of men;
 * women's earlier one is not distinguished).
 */
export const WORKING_AGE_FROM = 16
export const WORKING_AGE_UNTIL = 60
/** 10000 basis points = 1 × (or 100 %). */
export const BP = 10_000n

const ABLE_BODIED: readonly HealthStatus[] = ['healthy', 'chronic_illness']
const JOBLESS: readonly WorkStatus[] = ['laid_off', 'unemployed']
const SUDDEN_CAUSES: readonly HardshipCause[] = ['serious_illness', 'natural_disaster', 'accident']
const INSURANCE_CAUSES: readonly HardshipCause[] = ['uninsured', 'benefits_missing']
const SEVERE_HEALTH: readonly HealthStatus[] = ['serious_illness', 'disability_1', 'disability_2']
/** At school for 金秋助学: primary school to college (not preschool, not postgraduate). */
const AT_SCHOOL: readonly SchoolStage[] = ['primary', 'junior', 'senior', 'vocational', 'college']

/** Whole years from a birth date to a day, both 'YYYY-MM-DD'. */
export function ageOn(birthDate: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4))
  return on.slice(5) < birthDate.slice(5) ? years - 1 : years
}

export function isWorkingAge(m: Pick<ClassificationMember, 'birthDate'>, on: string): boolean {
  const age = ageOn(m.birthDate, on)
  return age >= WORKING_AGE_FROM && age < WORKING_AGE_UNTIL
}

/** Able to work (healthy or chronically ill, not seriously ill or disabled) and of working age. */
export function isAbleWorkingAge(m: ClassificationMember, on: string): boolean {
  return ABLE_BODIED.includes(m.health) && isWorkingAge(m, on)
}

/** Division rounding toward negative infinity (bigint `/` truncates toward zero). */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b
  return (a % b !== 0n) && ((a < 0n) !== (b < 0n)) ? q - 1n : q
}

const fen = (v: bigint) => v.toString()

/**
 * The rules (issue 3 §4, domain.md §4), in order:
 *
 * - counted yearly income = declared yearly income + for each jobless (laid off, unemployed),
 *   able-bodied member of working age, (minimum wage − their monthly income, if positive) × 12:
 *   such a member is counted at the minimum wage;
 * - per-capita monthly = (counted income − rigid spending) ÷ 12 ÷ members, one integer division
 *   of the whole by 12 × members rounding toward negative infinity (so the figure never flatters
 *   the household by a fen); it may be negative;
 * - hardship type: 'accident' when the year's hardship spending (> 0) exceeds accidentRatio × the
 *   declared income; else 'deep' below deepMultiple × the 低保 line; else 'relative' below
 *   relativeMultiple × the line; else null. Compared exactly (both sides multiplied by 10000);
 * - zero-employment household: nobody employed while someone able-bodied is of working age;
 * - target groups 1–5 and the four batches as documented at each rule below.
 *
 * Without a standard in force nothing is computed (type, per-capita, groups and batches null or
 * empty; reason line 'no-standard'); zeroEmployment, a plain fact of the members, is still given.
 * A household that is not in hardship (type null) still gets its groups and batches: they describe
 * needs; the re-verification reads type null as "propose exit".
 */
export function classify(facts: ClassificationFacts, standard: StandardFigures | null, on: string): Classification {
  const lines: ReasonLine[] = []
  const members = facts.members
  const able = members.filter((m) => isAbleWorkingAge(m, on))
  const joblessAble = able.filter((m) => JOBLESS.includes(m.workStatus))
  const anyEmployed = members.some((m) => m.workStatus === 'employed')
  const zeroEmployment = !anyEmployed && able.length > 0
  const reason = { standardId: standard?.id ?? null, on, lines }
  const rule = (name: string, figures: ReasonLine['figures']) => lines.push({ rule: name, figures })

  if (zeroEmployment) rule('zero-employment', { members: members.length, ableWorkingAge: able.length, employed: 0 })
  if (!standard) {
    rule('no-standard', {})
    return { hardshipType: null, perCapitaMonthlyFen: null, targetGroups: [], batches: [], zeroEmployment, reason }
  }
  if (members.length === 0) {
    rule('no-members', {})
    return { hardshipType: null, perCapitaMonthlyFen: null, targetGroups: [], batches: [], zeroEmployment, reason }
  }

  // Income: a jobless, able-bodied member of working age is counted at the minimum wage.
  let topUp = 0n
  for (const m of joblessAble) {
    const gap = standard.minWageFen - m.monthlyIncomeFen
    if (gap > 0n) topUp += gap * 12n
  }
  const counted = facts.yearlyIncomeFen + topUp
  if (joblessAble.length > 0) {
    rule('income.min-wage', {
      joblessAbleMembers: joblessAble.length,
      minWageFen: fen(standard.minWageFen),
      yearlyTopUpFen: fen(topUp),
      declaredYearlyIncomeFen: fen(facts.yearlyIncomeFen),
      countedYearlyIncomeFen: fen(counted),
    })
  }
  const n = BigInt(members.length)
  const perCapita = floorDiv(counted - facts.yearlyRigidSpendingFen, 12n * n)
  rule('per-capita', {
    countedYearlyIncomeFen: fen(counted),
    yearlyRigidSpendingFen: fen(facts.yearlyRigidSpendingFen),
    members: members.length,
    perCapitaMonthlyFen: fen(perCapita),
  })

  // Thresholds compared exactly: perCapita < line × multiple / 10000 ⇔ perCapita × 10000 < line × multiple.
  const belowDeep = perCapita * BP < standard.dibaoLineFen * BigInt(standard.deepMultipleBp)
  const belowRelative = perCapita * BP < standard.dibaoLineFen * BigInt(standard.relativeMultipleBp)
  const lineFigures = (multipleBp: number) => ({
    perCapitaMonthlyFen: fen(perCapita),
    dibaoLineFen: fen(standard.dibaoLineFen),
    multipleBp,
    // the threshold itself, rounded down to a fen, for people reading the reason
    thresholdFen: fen(floorDiv(standard.dibaoLineFen * BigInt(multipleBp), BP)),
  })

  let hardshipType: HardshipType | null = null
  const hardship = facts.yearlyHardshipSpendingFen
  if (hardship > 0n && hardship * BP > BigInt(standard.accidentRatioBp) * facts.yearlyIncomeFen) {
    hardshipType = 'accident'
    rule('type.accident', { yearlyHardshipSpendingFen: fen(hardship), yearlyIncomeFen: fen(facts.yearlyIncomeFen), accidentRatioBp: standard.accidentRatioBp })
  } else if (belowDeep) {
    hardshipType = 'deep'
    rule('type.deep', lineFigures(standard.deepMultipleBp))
  } else if (belowRelative) {
    hardshipType = 'relative'
    rule('type.relative', lineFigures(standard.relativeMultipleBp))
  } else {
    rule('type.none', lineFigures(standard.relativeMultipleBp))
  }

  const causes = [...(facts.primaryCause ? [facts.primaryCause] : []), ...facts.secondaryCauses]
  const hasCause = (list: readonly HardshipCause[]) => causes.filter((c) => list.includes(c))

  // Target groups (domain.md §4, seed 001 §二).
  const groups = new Set<number>()
  // 1: in 低保, able to work, not employed.
  if (facts.inDibao && joblessAble.length > 0) {
    groups.add(1)
    rule('group.1', { inDibao: true, joblessAbleMembers: joblessAble.length })
  }
  // 2: below the 低保 line but not in 低保.
  if (belowDeep && !facts.inDibao) {
    groups.add(2)
    rule('group.2', { inDibao: false, ...lineFigures(standard.deepMultipleBp) })
  }
  // 3: sudden expenses from serious illness, disaster or accident.
  const sudden = hasCause(SUDDEN_CAUSES)
  if (hardshipType === 'accident' || sudden.length > 0) {
    groups.add(3)
    rule('group.3', { accidentType: hardshipType === 'accident', causes: sudden.join(',') })
  }
  // 4: migrant workers in the city in hardship.
  if (facts.migrantWorker && hardshipType !== null) {
    groups.add(4)
    rule('group.4', { migrantWorker: true, hardshipType })
  }
  // 5: laid off or in hardship through restructuring.
  const laidOffCause = hasCause(['laid_off'])
  if (facts.restructuring !== null || laidOffCause.length > 0) {
    groups.add(5)
    rule('group.5', { restructuring: facts.restructuring ?? '', causeLaidOff: laidOffCause.length > 0 })
  }

  // Batches (四个一批).
  const fired = new Set<(typeof batchOrder)[number]>()
  if (groups.has(1) || groups.has(5) || joblessAble.length > 0) {
    fired.add('employment')
    rule('batch.employment', { group1: groups.has(1), group5: groups.has(5), joblessAbleMembers: joblessAble.length })
  }
  const insuranceCauses = hasCause(INSURANCE_CAUSES)
  const uninsuredMembers = members.filter((m) => m.medicalInsurance === 'none').length
  const socialGap = facts.socialInsurance === 'partial' || facts.socialInsurance === 'none'
  if (groups.has(2) || socialGap || insuranceCauses.length > 0 || uninsuredMembers > 0) {
    fired.add('social_insurance')
    rule('batch.social_insurance', { group2: groups.has(2), socialInsurance: facts.socialInsurance ?? '', causes: insuranceCauses.join(','), membersWithoutMedicalInsurance: uninsuredMembers })
  }
  const severe = members.filter((m) => SEVERE_HEALTH.includes(m.health)).length
  if (groups.has(3) || severe > 0) {
    fired.add('medical')
    rule('batch.medical', { group3: groups.has(3), seriouslyIllOrDisabledMembers: severe })
  }
  const students = members.filter((m) => m.schoolStage !== null && AT_SCHOOL.includes(m.schoolStage)).length
  const studentAid = students > 0 && belowRelative
  const unable = members.filter((m) => m.workStatus === 'unable_to_work').length
  if (hardshipType === 'deep' || facts.inDibao || studentAid || unable > 0) {
    fired.add('assistance')
    rule('batch.assistance', { deep: hardshipType === 'deep', inDibao: facts.inDibao, studentsBelowRelativeLine: studentAid ? students : 0, membersUnableToWork: unable })
  }

  return {
    hardshipType,
    perCapitaMonthlyFen: perCapita,
    targetGroups: [...groups].sort((a, b) => a - b),
    batches: batchOrder.filter((b) => fired.has(b)),
    zeroEmployment,
    reason,
  }
}
