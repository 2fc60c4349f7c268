import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Database, Kysely } from '../db/database.ts'
import { resolveSession, type ResolvedSession } from '../modules/access/auth.service.ts'
import { AppError, type ErrorBody, type FieldError, errorMessage, pickLocale } from './errors.ts'
import type { Principal } from './principal.ts'

export const SESSION_COOKIE = 'jk_sid'
export const CSRF_HEADER = 'x-csrf-token'

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in session, when the request carried a valid cookie. */
    session: ResolvedSession | null
  }
}

/** The principal of a request in a protected scope (the preHandler has already refused anonymous ones). */
export function principal(req: FastifyRequest): Principal {
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
        if (host !== req.headers.host) throw new AppError('CSRF_INVALID', 'Cross-site request refused')
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
      const message = err.custom ? err.message : errorMessage(err.code, locale)
      return send(err.status, { error: { code: err.code, message, ...(err.details !== undefined ? { details: err.details } : {}) } })
    }
    const fe = err as FastifyError
    if (fe.validation) {
      const where = fe.validationContext ?? 'body'
      const details: FieldError[] = fe.validation.map((v) => {
        const missing = (v.params as { missingProperty?: string; additionalProperty?: string } | undefined) ?? {}
        const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.')
        const field = missing.missingProperty ?? missing.additionalProperty ?? (path || where)
        const message = missing.additionalProperty ? 'is not a known field' : (v.message ?? 'is not valid')
        return { field: path && (missing.missingProperty || missing.additionalProperty) ? `${path}.${field}` : field, message }
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
