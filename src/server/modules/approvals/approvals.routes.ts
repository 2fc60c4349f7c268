import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Database, Kysely } from '../../db/database.ts'
import { notFound } from '../../platform/errors.ts'
import { errorResponses, IdParams } from '../../platform/http-schemas.ts'
import { principal } from '../../platform/http.ts'
import { scopeCovers } from '../../platform/scope.ts'
import { findRegion, regionFullName } from '../regions/regions.service.ts'
import { detailView, extrasOf } from './approval-views.ts'
import {
  ApprovalDetailSchema,
  DecideBody,
  EffectiveStepsSchema,
  MakerActionBody,
  PendingList,
  PendingQuery,
  PolicyList,
  PolicyListQuery,
  PolicyQuery,
  PolicySchema,
  SetPolicyBody,
  SubjectKindList,
} from './approvals.schemas.ts'
import { decide, effectiveSteps, get, listPendingFor, listPolicies, resubmit, setPolicy, subjectKinds, withdraw } from './approvals.service.ts'

/**
 * The generic maker-checker API (domain.md §1, §5, §6): the caller's work list, one approval
 * with its history, the checker's decision, the maker's resubmission and withdrawal, and the
 * approval levels in force per region. Out of scope answers 404 like a missing approval.
 */
export const approvalRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database> }> = async (app, { db }) => {
  const tags = ['approvals']

  app.get(
    '/approvals/pending',
    {
      schema: {
        tags,
        summary: 'Your work list: pending approvals whose current step is yours to decide, oldest first',
        querystring: PendingQuery,
        response: { 200: PendingList, ...errorResponses },
      },
    },
    async (req) => {
      const page = await listPendingFor(db, principal(req), req.query)
      const extras = await extrasOf(db, page.items)
      return { items: page.items.map((a) => ({ ...a, ...extras.get(a.id)! })), nextCursor: page.nextCursor }
    },
  )

  app.get(
    '/approvals/:id',
    { schema: { tags, summary: 'One approval with its steps, actions and opinions', params: IdParams, response: { 200: ApprovalDetailSchema, ...errorResponses } } },
    async (req) => {
      const p = principal(req)
      return detailView(db, p, await get(db, p, req.params.id))
    },
  )

  app.post(
    '/approvals/:id/decide',
    {
      schema: {
        tags,
        summary: 'Approve, return (opinion required) or reject (reason required) the current step, at the version you saw',
        params: IdParams,
        body: DecideBody,
        response: { 200: ApprovalDetailSchema, ...errorResponses },
      },
    },
    async (req) => {
      const p = principal(req)
      return detailView(db, p, await decide(db, p, req.params.id, req.body))
    },
  )

  app.post(
    '/approvals/:id/resubmit',
    { schema: { tags, summary: 'The maker resubmits a returned approval (back to the first step)', params: IdParams, body: MakerActionBody, response: { 200: ApprovalDetailSchema, ...errorResponses } } },
    async (req) => {
      const p = principal(req)
      return detailView(db, p, await resubmit(db, p, req.params.id, req.body))
    },
  )

  app.post(
    '/approvals/:id/withdraw',
    { schema: { tags, summary: 'The maker withdraws a pending or returned approval', params: IdParams, body: MakerActionBody, response: { 200: ApprovalDetailSchema, ...errorResponses } } },
    async (req) => {
      const p = principal(req)
      return detailView(db, p, await withdraw(db, p, req.params.id, req.body))
    },
  )

  app.get(
    '/approval-policies',
    {
      schema: {
        tags,
        summary: 'The approval steps a submission of this kind in this county would get today',
        querystring: PolicyQuery,
        response: { 200: EffectiveStepsSchema, ...errorResponses },
      },
    },
    async (req) => {
      const p = principal(req)
      const { kind, regionCode } = req.query
      // A region outside the caller's scope answers like a missing one.
      if (!scopeCovers(p.scope, regionCode) || !(await findRegion(db, regionCode))) throw notFound()
      const steps = await effectiveSteps(db, kind, regionCode)
      const regionName = steps.regionPrefix === undefined ? undefined : steps.regionPrefix ? await regionFullName(db, steps.regionPrefix.padEnd(6, '0')) : ''
      return { kind, regionCode, ...steps, ...(regionName === undefined ? {} : { regionName }) }
    },
  )

  app.get(
    '/approval-policies/list',
    {
      schema: {
        tags,
        summary: 'The stored policies set inside your scope or above it, newest effective first, with who set them (needs role.read)',
        querystring: PolicyListQuery,
        response: { 200: PolicyList, ...errorResponses },
      },
    },
    async (req) => listPolicies(db, principal(req), req.query),
  )

  app.get(
    '/approval-policies/kinds',
    { schema: { tags, summary: 'The subject kinds that go through approval, and the permission their steps need', response: { 200: SubjectKindList, ...errorResponses } } },
    async () => ({ items: await subjectKinds(db) }),
  )

  app.put(
    '/approval-policies',
    {
      schema: {
        tags,
        summary: 'Sets the approval steps of a kind for a region prefix from a date (needs role.manage)',
        body: SetPolicyBody,
        response: { 200: PolicySchema, ...errorResponses },
      },
    },
    async (req) => setPolicy(db, principal(req), req.body),
  )
}
