import { Type } from 'typebox'
import { Cursor, Limit } from '../../platform/http-schemas.ts'
import { outcomes, resolutions } from './reverification.service.ts'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])

export const StartRunBody = Type.Object(
  { year: Type.Integer({ minimum: 2000, maximum: 9999, description: 'the year re-verified, e.g. 2026' }) },
  { additionalProperties: false },
)

const Counts = Type.Object(
  {
    total: Type.Integer(),
    done: Type.Integer(),
    still_eligible: Type.Integer(),
    propose_exit: Type.Integer(),
    facts_outdated: Type.Integer(),
    visit_overdue: Type.Integer(),
  },
  { description: 'households per outcome; over the whole run, or over your part of it when your scope is narrower than the run' },
)

export const RunSchema = Type.Object({
  id: Type.String(),
  year: Type.Integer(),
  regionPrefix: Type.String({ description: "the scope the run covers: '' national, '41', '4101', '410102'" }),
  regionName: Type.String(),
  industry: Nullable(Type.String()),
  status: Type.Enum(['running', 'succeeded', 'failed', 'cancelled'] as const),
  jobId: Nullable(Type.String({ description: 'the durable job; watch it at /api/jobs/{id}' })),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
  finishedAt: Nullable(Type.String()),
  counts: Counts,
})

export const RunDetailSchema = Type.Intersect([
  RunSchema,
  Type.Object({
    outcomes: Type.Array(Type.Object({ outcome: Type.Enum(outcomes), total: Type.Integer(), unresolved: Type.Integer() }), {
      description: 'items per outcome in your scope',
    }),
  }),
])

export const RunListQuery = Type.Object({ cursor: Cursor, limit: Limit }, { additionalProperties: false })
export const RunList = Type.Object({ items: Type.Array(RunSchema), nextCursor: Nullable(Type.String()) })

export const ItemListQuery = Type.Object(
  {
    outcome: Type.Optional(Type.Enum(outcomes)),
    resolved: Type.Optional(Type.Boolean({ description: 'true: resolved items only; false: open items only' })),
    regionCode: Type.Optional(Type.String({ maxLength: 6, description: 'a region code or prefix (410100 or 4101)' })),
    cursor: Cursor,
    limit: Limit,
  },
  { additionalProperties: false },
)

export const ItemSchema = Type.Object({
  householdId: Type.String(),
  fileNo: Type.String(),
  headName: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  householdStatus: Type.String(),
  outcome: Type.Enum(outcomes, { description: 'the most pressing finding: propose_exit > facts_outdated > visit_overdue > still_eligible' }),
  reasons: Type.Array(Type.Object({ code: Type.String() }, { additionalProperties: true }), {
    description: 'every finding: eligible, above_line, no_standard, facts_stale, facts_missing, visit_overdue, with its figures (money as strings of fen)',
  }),
  resolution: Nullable(Type.Enum(resolutions)),
  resolvedByName: Nullable(Type.String()),
  resolvedAt: Nullable(Type.String()),
  note: Nullable(Type.String()),
})

export const ItemList = Type.Object({ items: Type.Array(ItemSchema), nextCursor: Nullable(Type.String()) })

export const ItemParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), householdId: Type.String({ minLength: 1, maxLength: 64 }) })

export const ResolveBody = Type.Object(
  {
    resolution: Type.Enum(resolutions, {
      description: "confirmed / dismissed: the household goes back to 'verified'; exit_started / updated: recorded only",
    }),
    note: Type.Optional(Nullable(Type.String({ maxLength: 500, description: 'required when dismissed' }))),
  },
  { additionalProperties: false },
)
