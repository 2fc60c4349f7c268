import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Database, Kysely } from '../../db/database.ts'
import { AppError } from '../../platform/errors.ts'
import { ErrorResponse, errorResponses, IdParams, NoContent } from '../../platform/http-schemas.ts'
import { principal, SESSION_COOKIE } from '../../platform/http.ts'
import {
  ChangePasswordBody,
  CreateUserBody,
  LoginBody,
  ResetPasswordBody,
  RoleList,
  RoleParams,
  RoleSchema,
  SessionResponse,
  SetRolePermissionsBody,
  UpdateUserBody,
  UserList,
  UserListQuery,
  UserSchema,
} from './access.schemas.ts'
import { changePassword, login, logout, sessionCookieMaxAgeSeconds } from './auth.service.ts'
import { describeMe } from './me.service.ts'
import { listRoles, setRolePermissions } from './roles.service.ts'
import { createUser, getUser, listUsers, resetPassword, unlockUser, updateUser } from './users.service.ts'

interface Options {
  db: Kysely<Database>
  secureCookies: boolean
  loginRateLimit?: number
}

/** Sign-in: the one API route open to anonymous callers, rate limited per address. */
export const loginRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { db, secureCookies, loginRateLimit = 10 }) => {
  app.post(
    '/auth/login',
    {
      config: { rateLimit: { max: loginRateLimit, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with username and password; sets the session cookie',
        body: LoginBody,
        response: { 200: SessionResponse, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 423: ErrorResponse, 429: ErrorResponse },
      },
    },
    async (req, reply) => {
      const signedIn = await login(db, req.body.username, req.body.password, {
        ip: req.ip,
        userAgent: req.headers['user-agent'] ?? null,
        requestId: req.id,
      })
      reply.setCookie(SESSION_COOKIE, signedIn.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: secureCookies,
        maxAge: sessionCookieMaxAgeSeconds(),
      })
      return { user: await describeMe(db, signedIn.principal), csrfToken: signedIn.csrfToken }
    },
  )
}

/** Registered inside the session-guarded scope (see app.ts). */
export const accessRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { db }) => {
  app.get('/auth/me', { schema: { tags: ['auth'], response: { 200: SessionResponse, ...errorResponses } } }, async (req) => {
    const session = req.session
    if (!session) throw new AppError('AUTH_REQUIRED')
    return { user: await describeMe(db, session.principal), csrfToken: session.csrfToken }
  })

  app.post('/auth/logout', { schema: { tags: ['auth'], response: { 204: NoContent, ...errorResponses } } }, async (req, reply) => {
    const session = req.session
    if (!session) throw new AppError('AUTH_REQUIRED')
    await logout(db, session.tokenHash, session.principal)
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
    return reply.status(204).send(null)
  })

  app.post(
    '/auth/password',
    { schema: { tags: ['auth'], summary: 'Change your own password; signs out your other sessions', body: ChangePasswordBody, response: { 204: NoContent, ...errorResponses } } },
    async (req, reply) => {
      const session = req.session
      if (!session) throw new AppError('AUTH_REQUIRED')
      await changePassword(db, session.principal, session.tokenHash, req.body.currentPassword, req.body.newPassword)
      return reply.status(204).send(null)
    },
  )

  app.get('/users', { schema: { tags: ['users'], querystring: UserListQuery, response: { 200: UserList, ...errorResponses } } }, async (req) =>
    listUsers(db, principal(req), req.query),
  )
  app.get('/users/:id', { schema: { tags: ['users'], params: IdParams, response: { 200: UserSchema, ...errorResponses } } }, async (req) =>
    getUser(db, principal(req), req.params.id),
  )
  app.post('/users', { schema: { tags: ['users'], body: CreateUserBody, response: { 201: UserSchema, ...errorResponses } } }, async (req, reply) =>
    reply.status(201).send(await createUser(db, principal(req), req.body)),
  )
  app.patch('/users/:id', { schema: { tags: ['users'], params: IdParams, body: UpdateUserBody, response: { 200: UserSchema, ...errorResponses } } }, async (req) =>
    updateUser(db, principal(req), req.params.id, req.body),
  )
  app.post(
    '/users/:id/reset-password',
    { schema: { tags: ['users'], params: IdParams, body: ResetPasswordBody, response: { 204: NoContent, ...errorResponses } } },
    async (req, reply) => {
      await resetPassword(db, principal(req), req.params.id, req.body.password)
      return reply.status(204).send(null)
    },
  )
  app.post('/users/:id/unlock', { schema: { tags: ['users'], params: IdParams, response: { 204: NoContent, ...errorResponses } } }, async (req, reply) => {
    await unlockUser(db, principal(req), req.params.id)
    return reply.status(204).send(null)
  })

  app.get('/roles', { schema: { tags: ['roles'], response: { 200: RoleList, ...errorResponses } } }, async (req) => listRoles(db, principal(req)))
  app.put(
    '/roles/:code',
    { schema: { tags: ['roles'], params: RoleParams, body: SetRolePermissionsBody, response: { 200: RoleSchema, ...errorResponses } } },
    async (req) => setRolePermissions(db, principal(req), req.params.code, req.body.permissions),
  )
}
