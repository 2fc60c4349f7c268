import { Type } from 'typebox'
import { Cursor } from '../../platform/http-schemas.ts'
import { ApprovalDetailSchema } from '../approvals/approvals.schemas.ts'
import { exitReasons, householdStatuses, removalReasons } from './codes.ts'

const Version = Type.Integer({ minimum: 1, description: 'the version of the household file you saw; a change in between answers 409' })
const Note = Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()]))

export const SubmitBody = Type.Object({ version: Version, opinion: Note }, { additionalProperties: false })
export const ExitBody = Type.Object({ version: Version, reason: Type.Enum(exitReasons), note: Note }, { additionalProperties: false })
export const RemoveBody = Type.Object({ version: Version, reason: Type.Enum(removalReasons), note: Note }, { additionalProperties: false })
export const ReenterBody = Type.Object({ version: Version, note: Note }, { additionalProperties: false })

const NullableInstant = Type.Union([Type.String(), Type.Null()])

export const LifecycleSchema = Type.Object({
  id: Type.String(),
  fileNo: Type.String(),
  status: Type.Enum(householdStatuses),
  episode: Type.Integer(),
  version: Type.Integer(),
  submittedAt: NullableInstant,
  verifiedAt: NullableInstant,
  endedAt: NullableInstant,
  endReason: Type.Union([Type.String(), Type.Null()]),
  endNote: Type.Union([Type.String(), Type.Null()]),
})

export const HistoryQuery = Type.Object({ cursor: Cursor, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) })

export const HistoryEventSchema = Type.Object({
  id: Type.String(),
  episode: Type.Integer(),
  action: Type.String({ description: 'submit, approve_step, verify, return, reject, resubmit, withdraw, exit, remove, reenter, and the file’s own edits' }),
  actor: Type.Object({ id: Type.Union([Type.String(), Type.Null()]), name: Type.String() }),
  before: Type.Unknown(),
  after: Type.Unknown(),
  note: Type.Union([Type.String(), Type.Null()]),
  at: Type.String(),
})

export const HistoryList = Type.Object({ items: Type.Array(HistoryEventSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) })

export const HouseholdApproval = Type.Object({
  approval: Type.Union([ApprovalDetailSchema, Type.Null()], { description: 'the latest approval of the file; null when never submitted' }),
})
