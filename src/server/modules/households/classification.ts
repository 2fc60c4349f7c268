import type { Batch } from './households.tables.ts'
import type { HardshipCause, HardshipType, HealthStatus, MedicalInsurance, Restructuring, SchoolStage, SocialInsuranceStatus, WorkStatus } from './codes.ts'

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

export function classify(facts: ClassificationFacts, standard: StandardFigures | null, on: string): Classification {
  // Placeholder until the rules land (helper task): no standard → nothing computed.
  void facts
  return { hardshipType: null, perCapitaMonthlyFen: null, targetGroups: [], batches: [], zeroEmployment: false, reason: { standardId: standard?.id ?? null, on, lines: [] } }
}
