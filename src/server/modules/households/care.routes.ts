import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Database, Kysely } from '../../db/database.ts'
import { errorResponses, IdParams } from '../../platform/http-schemas.ts'
import { principal } from '../../platform/http.ts'
import {
  AddMeasureBody,
  AddVisitBody,
  CoverageSchema,
  MeasureListSchema,
  MeasureParams,
  MeasureSchema,
  OverdueListSchema,
  OverdueQuery,
  PairingSchema,
  RegionQuery,
  SetPairingBody,
  UpdateMeasureBody,
  VisitListSchema,
  VisitSchema,
} from './care.schemas.ts'
import {
  addMeasure,
  addVisit,
  getPairing,
  listMeasures,
  listOverdueVisits,
  listVisits,
  type Measure,
  pairingCoverage,
  setPairing,
  updateMeasure,
  type Visit,
} from './care.service.ts'

const measureJson = (m: Measure) => ({ ...m, createdAt: m.createdAt.toISOString(), updatedAt: m.updatedAt.toISOString() })
const visitJson = (v: Visit) => ({ ...v, createdAt: v.createdAt.toISOString() })

/** A household's plan and measures, pairing (一帮一) and visits (走访), and the two scoped overviews. */
export const householdCareRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database> }> = async (app, { db }) => {
  const tags = ['household care']

  // Static segments: find-my-way prefers them to GET /households/:id (tested in test/api/household-care.test.ts).
  app.get(
    '/households/pairing-coverage',
    { schema: { tags, summary: 'Pairing coverage (一帮一) per filing organisation over households on file in a region of your scope', querystring: RegionQuery, response: { 200: CoverageSchema, ...errorResponses } } },
    async (req) => pairingCoverage(db, principal(req), { regionCode: req.query.regionCode }),
  )

  app.get(
    '/households/overdue-visits',
    { schema: { tags, summary: 'Households on file not visited for six calendar months, longest first', querystring: OverdueQuery, response: { 200: OverdueListSchema, ...errorResponses } } },
    async (req) => listOverdueVisits(db, principal(req), req.query),
  )

  app.get(
    '/households/:id/measures',
    { schema: { tags, summary: "The household's plan (帮扶计划): measures, current episode first", params: IdParams, response: { 200: MeasureListSchema, ...errorResponses } } },
    async (req) => {
      const list = await listMeasures(db, principal(req), req.params.id)
      return { ...list, items: list.items.map(measureJson) }
    },
  )

  app.post(
    '/households/:id/measures',
    { schema: { tags, summary: 'Add a measure from the four batches (四个一批)', params: IdParams, body: AddMeasureBody, response: { 201: MeasureSchema, ...errorResponses } } },
    async (req, reply) => reply.status(201).send(measureJson(await addMeasure(db, principal(req), req.params.id, req.body))),
  )

  app.patch(
    '/households/:id/measures/:measureId',
    { schema: { tags, summary: "Move a measure on (status, outcome), naming the version you read", params: MeasureParams, body: UpdateMeasureBody, response: { 200: MeasureSchema, ...errorResponses } } },
    async (req) => measureJson(await updateMeasure(db, principal(req), req.params.id, req.params.measureId, req.body)),
  )

  app.get(
    '/households/:id/pairing',
    { schema: { tags, summary: 'The helper unit and responsible person (一帮一)', params: IdParams, response: { 200: PairingSchema, ...errorResponses } } },
    async (req) => getPairing(db, principal(req), req.params.id),
  )

  app.put(
    '/households/:id/pairing',
    { schema: { tags, summary: 'Set or replace the helper unit and responsible person', params: IdParams, body: SetPairingBody, response: { 200: PairingSchema, ...errorResponses } } },
    async (req) => setPairing(db, principal(req), req.params.id, req.body),
  )

  app.get(
    '/households/:id/visits',
    { schema: { tags, summary: 'Visits (走访), newest first, with the six-month flag', params: IdParams, response: { 200: VisitListSchema, ...errorResponses } } },
    async (req) => {
      const list = await listVisits(db, principal(req), req.params.id)
      return { ...list, items: list.items.map(visitJson) }
    },
  )

  app.post(
    '/households/:id/visits',
    { schema: { tags, summary: 'Record a visit', params: IdParams, body: AddVisitBody, response: { 201: VisitSchema, ...errorResponses } } },
    async (req, reply) => reply.status(201).send(visitJson(await addVisit(db, principal(req), req.params.id, req.body))),
  )
}
