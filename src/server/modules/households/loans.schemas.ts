import { Type } from 'typebox'
import { loanMethods } from './loans.ts'
import { loanStatuses, trainingActions, trainingStatuses } from './loans.service.ts'

// Request and response schemas of a household's entrepreneurship loans and training records.
// Money travels as a string of whole fen. Lengths here are generous ceilings; the service trims
// and applies the real limits with messages in both languages.

const Fen = Type.String({ description: 'whole fen (分), as a decimal string' })
const IsoDate = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'a calendar day, YYYY-MM-DD (China)' })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const OptionalText = (maxLength: number) => Type.Optional(Nullable(Type.String({ maxLength })))

export const LoanParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), loanId: Type.String({ minLength: 1, maxLength: 64 }) })
export const TrainingParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), trainingId: Type.String({ minLength: 1, maxLength: 64 }) })

const loanFields = {
  id: Type.String(),
  memberId: Nullable(Type.String()),
  memberName: Nullable(Type.String()),
  programmeCode: Nullable(Type.String()),
  lender: Type.String(),
  principalFen: Fen,
  annualRateBp: Type.Integer({ description: 'annual interest rate in basis points (435 = 4.35 %)' }),
  subsidyBp: Type.Integer({ description: 'share of the interest paid by the fund, basis points (10000 = all)' }),
  termMonths: Type.Integer(),
  startMonth: Type.String({ description: 'YYYY-MM, the month paid out; instalment k falls due on the last day of the k-th month after it' }),
  method: Type.Enum(loanMethods),
  purpose: Type.String(),
  status: Type.Enum(loanStatuses),
  totalInterestFen: Fen,
  totalSubsidyFen: Fen,
  totalDueFen: Type.String({ description: 'principal + interest − subsidy: what the borrower repays in all, whole fen' }),
  repaidFen: Fen,
  remainingFen: Fen,
  overdueCount: Type.Integer(),
  overdueFen: Fen,
  createdAt: Type.String(),
  version: Type.Integer(),
}

export const LoanSchema = Type.Object(loanFields)

export const LoanListSchema = Type.Object({
  editable: Type.Boolean({ description: 'whether new loans can be recorded (the file is open)' }),
  items: Type.Array(LoanSchema),
})

export const LoanDetailSchema = Type.Object({
  ...loanFields,
  schedule: Type.Array(
    Type.Object({
      seq: Type.Integer(),
      dueMonth: Type.String(),
      dueOn: Type.String(),
      principalFen: Fen,
      interestFen: Fen,
      subsidyFen: Fen,
      dueFen: Fen,
      balanceAfterFen: Fen,
    }),
  ),
  repayments: Type.Array(Type.Object({ seq: Type.Integer(), paidOn: Type.String(), amountFen: Fen, note: Nullable(Type.String()), createdAt: Type.String() })),
  overdue: Type.Array(Type.Object({ seq: Type.Integer(), dueOn: Type.String(), dueFen: Fen, paidFen: Fen, outstandingFen: Fen })),
})

export const AddLoanBody = Type.Object(
  {
    memberId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
    programmeCode: OptionalText(64),
    lender: Type.String({ maxLength: 400 }),
    principalFen: Type.String({ maxLength: 20, description: 'whole fen, as a decimal string' }),
    annualRateBp: Type.Integer(),
    subsidyBp: Type.Integer(),
    termMonths: Type.Integer(),
    startMonth: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}$', description: 'YYYY-MM' }),
    method: Type.Enum(loanMethods),
    purpose: Type.String({ maxLength: 2000 }),
  },
  { additionalProperties: false },
)

export const AddRepaymentBody = Type.Object(
  {
    paidOn: IsoDate,
    amountFen: Type.String({ maxLength: 20, description: 'whole fen, as a decimal string; at most what remains due' }),
    note: OptionalText(1000),
  },
  { additionalProperties: false },
)

export const TrainingSchema = Type.Object({
  id: Type.String(),
  memberId: Type.String(),
  memberName: Nullable(Type.String()),
  programmeCode: Nullable(Type.String()),
  measureId: Nullable(Type.String()),
  course: Type.String(),
  provider: Type.String(),
  enrolledOn: Type.String(),
  completedOn: Nullable(Type.String()),
  certificate: Nullable(Type.String()),
  placedOn: Nullable(Type.String()),
  employer: Nullable(Type.String()),
  employerCreditCode: Nullable(Type.String()),
  status: Type.Enum(trainingStatuses),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  version: Type.Integer(),
})

export const TrainingListSchema = Type.Object({
  editable: Type.Boolean({ description: 'whether new enrolments can be recorded (the file is open)' }),
  items: Type.Array(TrainingSchema),
})

export const AddTrainingBody = Type.Object(
  {
    memberId: Type.String({ maxLength: 64 }),
    programmeCode: OptionalText(64),
    measureId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
    course: Type.String({ maxLength: 800 }),
    provider: Type.String({ maxLength: 800 }),
    enrolledOn: IsoDate,
  },
  { additionalProperties: false },
)

export const UpdateTrainingBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'the version you read; a stale one answers 409' }),
    action: Type.Enum(trainingActions, { description: 'complete (结业), place (就业安置) or drop (退出)' }),
    completedOn: Type.Optional(Nullable(IsoDate)),
    certificate: OptionalText(400),
    placedOn: Type.Optional(Nullable(IsoDate)),
    employer: OptionalText(800),
    employerCreditCode: OptionalText(40),
  },
  { additionalProperties: false },
)
