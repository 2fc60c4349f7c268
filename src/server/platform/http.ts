import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Database, Kysely } from '../db/database.ts'
import { resolveSession, type ResolvedSession } from '../modules/access/auth.service.ts'
import { AppError, type ErrorBody, type FieldErrorBody, errorMessage, localiseDetails, type Locale, pickLocale, text } from './errors.ts'
import type { UserPrincipal } from './principal.ts'

export const SESSION_COOKIE = 'jk_sid'
export const CSRF_HEADER = 'x-csrf-token'

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in session, when the request carried a valid cookie. */
    session: ResolvedSession | null
  }
}

/** The principal of a request in a protected scope (the preHandler has already refused anonymous ones). */
export function principal(req: FastifyRequest): UserPrincipal {
  if (!req.session) throw new AppError('AUTH_REQUIRED')
  return req.session.principal
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Resolves the session cookie on every API request; and for writes checks that
 * the Origin (when sent) is this host, so another site cannot post on the user's behalf.
 */
export function registerSessionHook(app: FastifyInstance, db: Kysely<Database>): void {
  app.decorateRequest('session', null)
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return
    if (!SAFE_METHODS.has(req.method)) {
      const origin = req.headers.origin
      if (origin && origin !== 'null') {
        let host: string | null = null
        try {
          host = new URL(origin).host
        } catch {
          host = null
        }
        if (host !== req.headers.host) throw new AppError('CSRF_INVALID', text('Cross-site request refused', '拒绝跨站请求'))
      }
    }
    const token = req.cookies[SESSION_COOKIE]
    if (token) req.session = await resolveSession(db, token, req.id)
  })
}

/**
 * Guards every route registered inside `scope`: a session is required, and every
 * write must carry the session's CSRF token in the X-CSRF-Token header.
 */
export function requireSession(scope: FastifyInstance): void {
  scope.addHook('onRequest', async (req) => {
    if (!req.session) throw new AppError('AUTH_REQUIRED')
    if (!SAFE_METHODS.has(req.method) && req.headers[CSRF_HEADER] !== req.session.csrfToken) {
      throw new AppError('CSRF_INVALID')
    }
  })
}

/** One mapping from anything thrown to the `{ error: { code, message, details } }` body. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError | Error, req: FastifyRequest, reply: FastifyReply) => {
    const locale = pickLocale(req.headers['accept-language'])
    const send = (status: number, body: ErrorBody) => reply.status(status).send(body)

    if (err instanceof AppError) {
      if (err.code === 'INTERNAL') req.log.error({ err }, 'internal error')
      const message = err.messageIn(locale)
      const details = localiseDetails(err.details, locale)
      return send(err.status, { error: { code: err.code, message, ...(details !== undefined ? { details } : {}) } })
    }
    const fe = err as FastifyError
    if (fe.validation) {
      const where = fe.validationContext ?? 'body'
      const details: FieldErrorBody[] = fe.validation.map((v) => {
        const params = (v.params ?? {}) as { missingProperty?: string; additionalProperty?: string }
        // /members/0/idNumber → members[0].idNumber, the form services use too
        const path = v.instancePath
          .split('/')
          .slice(1)
          .map((part, i) => (/^\d+$/.test(part) ? `[${part}]` : i === 0 ? part : `.${part}`))
          .join('')
        const named = params.missingProperty ?? params.additionalProperty
        const field = named ? (path ? `${path}.${named}` : named) : path || where
        return { field, message: schemaMessage(v.keyword, v.params ?? {}, v.message, locale) }
      })
      return send(400, { error: { code: 'VALIDATION_FAILED', message: errorMessage('VALIDATION_FAILED', locale), details } })
    }
    if (fe.statusCode === 429) {
      return send(429, { error: { code: 'RATE_LIMITED', message: errorMessage('RATE_LIMITED', locale) } })
    }
    if (fe.statusCode !== undefined && fe.statusCode >= 400 && fe.statusCode < 500) {
      // Malformed JSON, wrong content type, body too large: the request itself is bad.
      const message = fe.statusCode === 413 ? 'is too large' : fe.message
      return send(400, { error: { code: 'VALIDATION_FAILED', message: errorMessage('VALIDATION_FAILED', locale), details: [{ field: 'body', message }] } })
    }
    // Anything else is our fault: the log gets the cause, the caller a generic body.
    req.log.error({ err }, 'unhandled error')
    return send(500, { error: { code: 'INTERNAL', message: errorMessage('INTERNAL', locale) } })
  })
}

/** Schema-validation messages in the caller's language, by the JSON Schema keyword that failed. */
function schemaMessage(keyword: string, params: Record<string, unknown>, fallback: string | undefined, locale: Locale): string {
  const limit = String(params.limit ?? '')
  const zh = locale === 'zh-CN'
  switch (keyword) {
    case 'required':
      return zh ? '必填' : 'is required'
    case 'additionalProperties':
      return zh ? '不是可识别的字段' : 'is not a known field'
    case 'minLength':
      return zh ? `至少 ${limit} 个字符` : `must be at least ${limit} characters`
    case 'maxLength':
      return zh ? `最多 ${limit} 个字符` : `must be at most ${limit} characters`
    case 'minimum':
      return zh ? `不能小于 ${limit}` : `must be at least ${limit}`
    case 'maximum':
      return zh ? `不能大于 ${limit}` : `must be at most ${limit}`
    case 'maxItems':
      return zh ? `最多 ${limit} 项` : `must have at most ${limit} items`
    case 'pattern':
    case 'format':
      return zh ? '格式不正确' : 'has the wrong format'
    case 'enum':
      return zh ? '不是允许的取值' : 'is not one of the allowed values'
    case 'type':
      return zh ? '类型不正确' : `must be ${String(params.type ?? 'of another type')}`
    default:
      return zh ? '取值无效' : (fallback ?? 'is not valid')
  }
}
