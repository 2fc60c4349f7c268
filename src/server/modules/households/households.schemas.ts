import { Type } from 'typebox'
import {
  hardshipCauses,
  healthStatuses,
  housingTypes,
  hukouTypes,
  maritalStatuses,
  medicalInsurances,
  memberRelations,
  modelWorkerTypes,
  restructurings,
  schoolStages,
  socialInsuranceStatuses,
  workStatuses,
} from './codes.ts'

/** Money travels as a string of whole fen, so no amount ever passes through a float. */
const Fen = Type.String({ pattern: '^[0-9]{1,15}$', description: 'whole fen (分), as a decimal string' })
const SignedFen = Type.String({ pattern: '^-?[0-9]{1,15}$', description: 'whole fen (分), as a decimal string; may be negative' })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const OptionalCode = <L extends readonly string[]>(list: L) => Type.Optional(Type.Union([Type.Enum(list), Type.Literal(''), Type.Null()]))

export const MemberInputSchema = Type.Object(
  {
    id: Type.Optional(Type.String({ maxLength: 64, description: 'an existing member (when editing); its ID number stays' })),
    name: Type.String({ minLength: 1, maxLength: 50 }),
    relation: Type.Enum(memberRelations),
    idNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: '18-digit resident ID (15-digit legacy numbers are converted); required for a new member' })),
    phone: Type.Optional(Nullable(Type.String({ maxLength: 40, description: 'omit to keep the stored number when editing' }))),
    health: Type.Enum(healthStatuses),
    workStatus: Type.Enum(workStatuses),
    monthlyIncomeFen: Fen,
    maritalStatus: OptionalCode(maritalStatuses),
    schoolStage: OptionalCode(schoolStages),
    medicalInsurance: OptionalCode(medicalInsurances),
    modelWorker: OptionalCode(modelWorkerTypes),
  },
  { additionalProperties: false },
)

const factProperties = {
  hukouType: OptionalCode(hukouTypes),
  housingType: OptionalCode(housingTypes),
  housingArea: Type.Optional(Nullable(Type.String({ maxLength: 10, description: 'square metres, at most one decimal' }))),
  employerCreditCode: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
  employerName: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  inDibao: Type.Optional(Type.Boolean()),
  migrantWorker: Type.Optional(Type.Boolean()),
  restructuring: OptionalCode(restructurings),
  socialInsurance: OptionalCode(socialInsuranceStatuses),
  yearlyIncomeFen: Type.Optional(Fen),
  yearlyRigidSpendingFen: Type.Optional(Fen),
  yearlyHardshipSpendingFen: Type.Optional(Fen),
  primaryCause: OptionalCode(hardshipCauses),
  secondaryCauses: Type.Optional(Type.Array(Type.Enum(hardshipCauses), { maxItems: 3 })),
  bankName: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
  bankAccount: Type.Optional(Nullable(Type.String({ maxLength: 40, description: 'omit to keep the stored account when editing' }))),
}

export const FileHouseholdBody = Type.Object(
  {
    regionCode: Type.String({ pattern: '^[0-9]{6}$' }),
    orgId: Type.String({ maxLength: 64 }),
    address: Type.String({ minLength: 1, maxLength: 200 }),
    members: Type.Array(MemberInputSchema, { minItems: 1, maxItems: 30 }),
    ...factProperties,
  },
  { additionalProperties: false },
)

export const UpdateHouseholdBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'the version you read; a stale one is refused with 409' }),
    address: Type.String({ minLength: 1, maxLength: 200 }),
    members: Type.Array(MemberInputSchema, { minItems: 1, maxItems: 30 }),
    ...factProperties,
  },
  { additionalProperties: false },
)

export const MemberSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  relation: Type.String(),
  idNumber: Type.String({ description: 'masked unless the household was read in full view' }),
  phone: Nullable(Type.String()),
  birthDate: Type.String(),
  sex: Type.String(),
  health: Type.String(),
  workStatus: Type.String(),
  monthlyIncomeFen: Fen,
  maritalStatus: Nullable(Type.String()),
  schoolStage: Nullable(Type.String()),
  medicalInsurance: Nullable(Type.String()),
  modelWorker: Nullable(Type.String()),
})

export const HouseholdSchema = Type.Object({
  id: Type.String(),
  fileNo: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  orgId: Type.String(),
  orgName: Type.String(),
  address: Type.String(),
  headName: Type.String(),
  status: Type.String(),
  episode: Type.Integer(),
  version: Type.Integer(),
  hukouType: Nullable(Type.String()),
  housingType: Nullable(Type.String()),
  housingArea: Nullable(Type.String()),
  employerCreditCode: Nullable(Type.String()),
  employerName: Nullable(Type.String()),
  inDibao: Type.Boolean(),
  migrantWorker: Type.Boolean(),
  restructuring: Nullable(Type.String()),
  socialInsurance: Nullable(Type.String()),
  yearlyIncomeFen: Fen,
  yearlyRigidSpendingFen: Fen,
  yearlyHardshipSpendingFen: Fen,
  primaryCause: Nullable(Type.String()),
  secondaryCauses: Type.Array(Type.String()),
  causeScheme: Type.String(),
  classification: Type.Object({
    hardshipType: Nullable(Type.String()),
    typeScheme: Type.String(),
    perCapitaMonthlyFen: Nullable(SignedFen),
    targetGroups: Type.Array(Type.Integer()),
    batches: Type.Array(Type.String()),
    zeroEmployment: Type.Boolean(),
    standardId: Nullable(Type.String()),
    classifiedAt: Nullable(Type.String()),
    reason: Type.Unknown({ description: 'the rules that fired, with their figures' }),
  }),
  bankName: Nullable(Type.String()),
  bankAccount: Nullable(Type.String({ description: 'masked unless read in full view' })),
  helper: Nullable(Type.Object({ orgId: Type.String(), orgName: Type.String(), person: Nullable(Type.String()), pairedOn: Nullable(Type.String()) })),
  lastVisitOn: Nullable(Type.String()),
  submittedAt: Nullable(Type.String()),
  verifiedAt: Nullable(Type.String()),
  endedAt: Nullable(Type.String()),
  endReason: Nullable(Type.String()),
  endNote: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  fullView: Type.Boolean({ description: 'true when ID, phone and account numbers are shown in full (audited)' }),
  members: Type.Array(MemberSchema),
})

export const HouseholdQuery = Type.Object({
  full: Type.Optional(Type.Boolean({ description: 'show ID, phone and account numbers in full (needs pii.view; audited)' })),
})

/** The ID number goes in the body, never the URL, so it stays out of access logs. */
export const FindByIdNumberBody = Type.Object({ idNumber: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false })
