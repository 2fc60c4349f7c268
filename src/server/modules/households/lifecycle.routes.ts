import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Database, Kysely } from '../../db/database.ts'
import { errorResponses, IdParams } from '../../platform/http-schemas.ts'
import { principal } from '../../platform/http.ts'
import { detailView } from '../approvals/approval-views.ts'
import { exitHousehold, getApprovalOf, listHistory, reenterHousehold, removeHousehold, submitHousehold } from './lifecycle.ts'
import { ExitBody, HistoryList, HistoryQuery, HouseholdApproval, LifecycleSchema, ReenterBody, RemoveBody, SubmitBody } from './lifecycle.schemas.ts'

/** The lifecycle of a household file: submit for approval, exit (脱困), remove (不符合), re-enter; its history and approval. */
export const lifecycleRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database> }> = async (app, { db }) => {
  const tags = ['households']
  const answers = { 200: LifecycleSchema, ...errorResponses }

  app.post(
    '/households/:id/submit',
    { schema: { tags, summary: 'Submits a draft file for approval (or resubmits it after a return)', params: IdParams, body: SubmitBody, response: answers } },
    async (req) => submitHousehold(db, principal(req), req.params.id, req.body),
  )
  app.post(
    '/households/:id/exit',
    { schema: { tags, summary: '脱困: a file on record exits, with a reason', params: IdParams, body: ExitBody, response: answers } },
    async (req) => exitHousehold(db, principal(req), req.params.id, req.body),
  )
  app.post(
    '/households/:id/remove',
    { schema: { tags, summary: '不符合: removes a file with a reason (household.approve for files on record)', params: IdParams, body: RemoveBody, response: answers } },
    async (req) => removeHousehold(db, principal(req), req.params.id, req.body),
  )
  app.post(
    '/households/:id/reenter',
    { schema: { tags, summary: 'Re-entry: an exited or removed file opens a new episode as a draft', params: IdParams, body: ReenterBody, response: answers } },
    async (req) => reenterHousehold(db, principal(req), req.params.id, req.body),
  )
  app.get(
    '/households/:id/history',
    { schema: { tags, summary: "The file's history, newest first", params: IdParams, querystring: HistoryQuery, response: { 200: HistoryList, ...errorResponses } } },
    async (req) => listHistory(db, principal(req), req.params.id, req.query),
  )
  app.get(
    '/households/:id/approval',
    { schema: { tags, summary: "The file's latest approval with its steps and opinions", params: IdParams, response: { 200: HouseholdApproval, ...errorResponses } } },
    async (req) => {
      const p = principal(req)
      const approval = await getApprovalOf(db, p, req.params.id)
      return { approval: approval ? await detailView(db, p, approval) : null }
    },
  )
}
