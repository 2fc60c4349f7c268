import type { Batch, HouseholdStatus, MemberRelation, Sex } from './households.tables.ts'

// The closed code lists of a household file (domain.md §3, §4; issue 3). One place for the
// service, the import, the schemas and the classification; the labels belong to the web app.

export const memberRelations = ['head', 'spouse', 'child', 'parent', 'other'] as const satisfies readonly MemberRelation[]
export const healthStatuses = ['healthy', 'chronic_illness', 'serious_illness', 'disability_1', 'disability_2', 'disability_3', 'disability_4'] as const
export const workStatuses = ['employed', 'laid_off', 'unemployed', 'retired', 'student', 'unable_to_work'] as const
export const maritalStatuses = ['single', 'married', 'divorced', 'widowed'] as const
export const schoolStages = ['preschool', 'primary', 'junior', 'senior', 'vocational', 'college', 'postgraduate'] as const
export const medicalInsurances = ['employee', 'resident', 'none'] as const
export const modelWorkerTypes = ['national', 'provincial', 'city', 'industry'] as const

export const hukouTypes = ['urban', 'rural'] as const
export const housingTypes = ['owned', 'rented', 'public_rental', 'with_relatives', 'other'] as const
export const socialInsuranceStatuses = ['full', 'partial', 'none'] as const
/** Target group 5: how the worker was laid off or fell into hardship. */
export const restructurings = ['capacity_reduction', 'merger', 'bankruptcy', 'institution_reform'] as const

/**
 * The ten standard hardship causes (issue 3 §4): 无劳动能力, 有劳动能力未就业, 下岗失业, 未参加社保,
 * 社保待遇不到位, 重特大疾病, 自然灾害, 意外事故, 子女上学, 其他. Scheme 'gb2026'.
 */
export const hardshipCauses = [
  'no_work_capacity',
  'jobless_able',
  'laid_off',
  'uninsured',
  'benefits_missing',
  'serious_illness',
  'natural_disaster',
  'accident',
  'schooling',
  'other',
] as const
export const CAUSE_SCHEME = 'gb2026'

/** Hardship types as computed now (scheme 'gb2026'): 深度困难, 相对困难, 意外致困. */
export const hardshipTypes = ['deep', 'relative', 'accident'] as const
export const TYPE_SCHEME = 'gb2026'

export const householdStatuses = ['draft', 'submitted', 'verified', 'reverifying', 'exited', 'removed'] as const satisfies readonly HouseholdStatus[]
/** Statuses in which a household is on file and counts for pairing, visits and re-verification. */
export const onFileStatuses = ['verified', 'reverifying'] as const satisfies readonly HouseholdStatus[]

/** The four batches (四个一批). */
export const batches = ['employment', 'social_insurance', 'medical', 'assistance'] as const satisfies readonly Batch[]
/** The five target groups (domain.md §4), numbered as there. */
export const targetGroups = [1, 2, 3, 4, 5] as const

/** 脱困 reasons and 不符合 (removal) reasons. */
export const exitReasons = ['employment_income', 'social_security', 'other'] as const
export const removalReasons = ['not_eligible', 'false_information', 'deceased', 'moved_away', 'duplicate', 'other'] as const

export type HealthStatus = (typeof healthStatuses)[number]
export type WorkStatus = (typeof workStatuses)[number]
export type HardshipCause = (typeof hardshipCauses)[number]
export type HardshipType = (typeof hardshipTypes)[number]
export type Restructuring = (typeof restructurings)[number]
export type SocialInsuranceStatus = (typeof socialInsuranceStatuses)[number]
export type SchoolStage = (typeof schoolStages)[number]
export type MedicalInsurance = (typeof medicalInsurances)[number]

export const isOneOf = <T extends string | number>(list: readonly T[], value: unknown): value is T => (list as readonly unknown[]).includes(value)

/** What a file says about the household besides its members, as read back (service) or imported. */
export interface HouseholdFacts {
  hukouType: string | null
  housingType: string | null
  /** square metres, numeric(7,1) as text */
  housingArea: string | null
  employerCreditCode: string | null
  employerName: string | null
  inDibao: boolean
  migrantWorker: boolean
  restructuring: string | null
  socialInsurance: string | null
  yearlyIncomeFen: bigint
  yearlyRigidSpendingFen: bigint
  yearlyHardshipSpendingFen: bigint
  primaryCause: string | null
  secondaryCauses: string[]
}

/** A member's facts; the ID number is masked or full depending on who reads it. */
export interface MemberFacts {
  name: string
  relation: MemberRelation
  idNumber: string
  birthDate: string
  sex: Sex
  phone: string | null
  health: string
  workStatus: string
  monthlyIncomeFen: bigint
  maritalStatus: string | null
  schoolStage: string | null
  medicalInsurance: string | null
  modelWorker: string | null
}
