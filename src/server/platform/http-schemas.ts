import { Type } from 'typebox'
import { errorCodes } from './errors.ts'

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.Enum(errorCodes),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { description: 'Every error: a stable code, a message in the caller\'s language, and details (invalid fields for VALIDATION_FAILED).' },
)

/** The error answers every authenticated route can give. */
export const errorResponses = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  409: ErrorResponse,
  429: ErrorResponse,
  500: ErrorResponse,
} as const

export const Uuid = Type.String({ format: 'uuid' })
export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })
export const Cursor = Type.Optional(Type.String({ maxLength: 512 }))
export const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 200 }))
export const NoContent = Type.Null({ description: 'No content' })
