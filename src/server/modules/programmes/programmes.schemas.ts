import { Type } from 'typebox'

const Fen = Type.String({ description: 'whole fen (分), as a decimal string' })
const Codes = Type.Array(Type.String())

export const ConditionSchema = Type.Union([
  Type.Object({ kind: Type.Literal('hardshipType'), anyOf: Codes }),
  Type.Object({ kind: Type.Literal('targetGroup'), anyOf: Type.Array(Type.Integer()) }),
  Type.Object({ kind: Type.Literal('batch'), anyOf: Codes }),
  Type.Object({ kind: Type.Literal('status'), anyOf: Codes }),
  Type.Object({ kind: Type.Literal('memberSchoolStage'), anyOf: Codes }),
  Type.Object({ kind: Type.Literal('memberHealth'), anyOf: Codes }),
  Type.Object({ kind: Type.Literal('memberWorkStatus'), anyOf: Codes }),
  Type.Object({ kind: Type.Literal('perCapitaBelowFen'), value: Fen }),
])

export const EligibilitySchema = Type.Object({ allOf: Type.Array(ConditionSchema) }, { description: 'all conditions must hold' })

export const FormulaSchema = Type.Union([
  Type.Object({
    kind: Type.Literal('fixedByHardshipType'),
    amounts: Type.Object({ deep: Type.Optional(Fen), relative: Type.Optional(Fen), accident: Type.Optional(Fen) }),
  }),
  Type.Object({ kind: Type.Literal('bySchoolStage'), amounts: Type.Record(Type.String(), Fen, { description: 'per student, by school stage' }) }),
  Type.Object({ kind: Type.Literal('shareOfCost'), shareBp: Type.Integer(), capFen: Fen }),
  Type.Object({ kind: Type.Literal('fixed'), amountFen: Fen }),
  Type.Object({ kind: Type.Literal('loan'), maxPrincipalFen: Fen, interestSubsidyBp: Type.Integer({ description: 'a year' }), termMonths: Type.Integer() }),
])

export const ProgrammeSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  kind: Type.String({ description: 'living_subsidy, festival_relief, education_aid, medical_aid, temporary_aid, entrepreneurship, skills_training, graduate_employment' }),
  fundType: Type.String(),
  eligibility: EligibilitySchema,
  formula: FormulaSchema,
  frequency: Type.String({ description: 'monthly, quarterly, yearly, academic_year, one_off' }),
  capPerHouseholdYearFen: Type.Union([Fen, Type.Null()]),
  approvalKind: Type.String(),
  postingRequired: Type.Boolean(),
  postingDays: Type.Integer(),
  policyBasis: Type.String({ description: 'document number and clause' }),
  regionPrefix: Type.String({ description: "'' national, or a region prefix (41, 4101, 410102)" }),
  active: Type.Boolean(),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
})

export const ProgrammeList = Type.Object({ items: Type.Array(ProgrammeSchema) })

export const ProgrammeListQuery = Type.Object({
  kind: Type.Optional(Type.String({ maxLength: 40 })),
  includeInactive: Type.Optional(Type.Boolean({ description: 'also the deactivated ones' })),
})

/** Loose types; the service checks every field (the rule and formula to each nested field) and names each problem. */
const fields = {
  nameZh: Type.String({ maxLength: 200 }),
  nameEn: Type.String({ maxLength: 200 }),
  kind: Type.String({ maxLength: 40 }),
  fundType: Type.String({ maxLength: 80 }),
  eligibility: Type.Unknown({ description: 'an eligibility rule: { allOf: [conditions] }' }),
  formula: Type.Unknown({ description: 'a benefit formula' }),
  frequency: Type.String({ maxLength: 20 }),
  capPerHouseholdYearFen: Type.Union([Type.String({ maxLength: 20 }), Type.Null()]),
  approvalKind: Type.String({ maxLength: 80 }),
  postingRequired: Type.Boolean(),
  postingDays: Type.Integer(),
  policyBasis: Type.String({ maxLength: 600 }),
  regionPrefix: Type.String({ maxLength: 12 }),
}

export const CreateProgrammeBody = Type.Object(
  {
    code: Type.String({ maxLength: 60 }),
    nameZh: fields.nameZh,
    nameEn: fields.nameEn,
    kind: fields.kind,
    fundType: fields.fundType,
    eligibility: fields.eligibility,
    formula: fields.formula,
    frequency: fields.frequency,
    capPerHouseholdYearFen: Type.Optional(fields.capPerHouseholdYearFen),
    approvalKind: Type.Optional(fields.approvalKind),
    postingRequired: Type.Optional(fields.postingRequired),
    postingDays: Type.Optional(fields.postingDays),
    policyBasis: Type.Optional(fields.policyBasis),
    regionPrefix: Type.Optional(fields.regionPrefix),
  },
  { additionalProperties: false },
)

export const UpdateProgrammeBody = Type.Object(
  {
    version: Type.Integer({ description: 'the version read; a stale one answers CONFLICT' }),
    nameZh: Type.Optional(fields.nameZh),
    nameEn: Type.Optional(fields.nameEn),
    kind: Type.Optional(fields.kind),
    fundType: Type.Optional(fields.fundType),
    eligibility: Type.Optional(fields.eligibility),
    formula: Type.Optional(fields.formula),
    frequency: Type.Optional(fields.frequency),
    capPerHouseholdYearFen: Type.Optional(fields.capPerHouseholdYearFen),
    approvalKind: Type.Optional(fields.approvalKind),
    postingRequired: Type.Optional(fields.postingRequired),
    postingDays: Type.Optional(fields.postingDays),
    policyBasis: Type.Optional(fields.policyBasis),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

export const VersionBody = Type.Object({ version: Type.Integer() }, { additionalProperties: false })
