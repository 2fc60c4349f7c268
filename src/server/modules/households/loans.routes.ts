import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Database, Kysely } from '../../db/database.ts'
import { errorResponses, IdParams } from '../../platform/http-schemas.ts'
import { principal } from '../../platform/http.ts'
import {
  AddLoanBody,
  AddRepaymentBody,
  AddTrainingBody,
  LoanDetailSchema,
  LoanListSchema,
  LoanParams,
  TrainingListSchema,
  TrainingParams,
  TrainingSchema,
  UpdateTrainingBody,
} from './loans.schemas.ts'
import { addLoan, addRepayment, addTraining, getLoan, listLoans, listTraining, type Loan, type LoanDetail, type Training, updateTraining } from './loans.service.ts'

const fen = (v: bigint) => v.toString()

const loanJson = (l: Loan) => ({
  ...l,
  principalFen: fen(l.principalFen),
  totalInterestFen: fen(l.totalInterestFen),
  totalSubsidyFen: fen(l.totalSubsidyFen),
  totalDueFen: fen(l.totalDueFen),
  repaidFen: fen(l.repaidFen),
  remainingFen: fen(l.remainingFen),
  overdueFen: fen(l.overdueFen),
  createdAt: l.createdAt.toISOString(),
})

const loanDetailJson = (d: LoanDetail) => ({
  ...loanJson(d),
  schedule: d.schedule.map((i) => ({
    ...i,
    principalFen: fen(i.principalFen),
    interestFen: fen(i.interestFen),
    subsidyFen: fen(i.subsidyFen),
    dueFen: fen(i.dueFen),
    balanceAfterFen: fen(i.balanceAfterFen),
  })),
  repayments: d.repayments.map((r) => ({ ...r, amountFen: fen(r.amountFen), createdAt: r.createdAt.toISOString() })),
  overdue: d.overdue.map((o) => ({ ...o, dueFen: fen(o.dueFen), paidFen: fen(o.paidFen), outstandingFen: fen(o.outstandingFen) })),
})

const trainingJson = (t: Training) => ({ ...t, createdAt: t.createdAt.toISOString(), updatedAt: t.updatedAt.toISOString() })

/** A household's entrepreneurship loans (创业担保贷款) with schedule and subsidy, and its training / placement records. */
export const householdLoanRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database> }> = async (app, { db }) => {
  const tags = ['household loans and training']

  app.get(
    '/households/:id/loans',
    { schema: { tags, summary: "The household's entrepreneurship loans, newest first, with totals, repaid and overdue", params: IdParams, response: { 200: LoanListSchema, ...errorResponses } } },
    async (req) => {
      const list = await listLoans(db, principal(req), req.params.id)
      return { ...list, items: list.items.map(loanJson) }
    },
  )

  app.post(
    '/households/:id/loans',
    { schema: { tags, summary: 'Record an entrepreneurship loan (创业担保贷款)', params: IdParams, body: AddLoanBody, response: { 201: LoanDetailSchema, ...errorResponses } } },
    async (req, reply) => reply.status(201).send(loanDetailJson(await addLoan(db, principal(req), req.params.id, req.body))),
  )

  app.get(
    '/households/:id/loans/:loanId',
    { schema: { tags, summary: 'One loan with its repayment schedule, interest subsidy, repayments and overdue instalments', params: LoanParams, response: { 200: LoanDetailSchema, ...errorResponses } } },
    async (req) => loanDetailJson(await getLoan(db, principal(req), req.params.id, req.params.loanId)),
  )

  app.post(
    '/households/:id/loans/:loanId/repayments',
    { schema: { tags, summary: 'Record a repayment (append-only); the loan is repaid when nothing remains due', params: LoanParams, body: AddRepaymentBody, response: { 201: LoanDetailSchema, ...errorResponses } } },
    async (req, reply) => reply.status(201).send(loanDetailJson(await addRepayment(db, principal(req), req.params.id, req.params.loanId, req.body))),
  )

  app.get(
    '/households/:id/training',
    { schema: { tags, summary: "The household members' training and placement records, newest first", params: IdParams, response: { 200: TrainingListSchema, ...errorResponses } } },
    async (req) => {
      const list = await listTraining(db, principal(req), req.params.id)
      return { ...list, items: list.items.map(trainingJson) }
    },
  )

  app.post(
    '/households/:id/training',
    { schema: { tags, summary: 'Enrol a member in a training course (技能培训)', params: IdParams, body: AddTrainingBody, response: { 201: TrainingSchema, ...errorResponses } } },
    async (req, reply) => reply.status(201).send(trainingJson(await addTraining(db, principal(req), req.params.id, req.body))),
  )

  app.patch(
    '/households/:id/training/:trainingId',
    { schema: { tags, summary: 'Mark an enrolment completed, placed in work or dropped, naming the version you read', params: TrainingParams, body: UpdateTrainingBody, response: { 200: TrainingSchema, ...errorResponses } } },
    async (req) => trainingJson(await updateTraining(db, principal(req), req.params.id, req.params.trainingId, req.body)),
  )
}
