import fs from 'node:fs'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import cookie from '@fastify/cookie'
import helmet from '@fastify/helmet'
import rateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import type { DatabaseHandle } from './db/engine.ts'
import { pendingMigrations } from './db/migrator.ts'
import { accessRoutes, loginRoutes } from './modules/access/access.routes.ts'
import { applicationRoutes } from './modules/applications/applications.routes.ts'
import { approvalRoutes } from './modules/approvals/approvals.routes.ts'
import { auditRoutes } from './modules/audit/audit.routes.ts'
import { dashboardRoutes } from './modules/dashboard/dashboard.routes.ts'
import { attachmentRoutes } from './modules/households/attachments.routes.ts'
import { householdCareRoutes } from './modules/households/care.routes.ts'
import { householdLoanRoutes } from './modules/households/loans.routes.ts'
import { householdImportRoutes } from './modules/households/import/import.routes.ts'
import { householdRoutes } from './modules/households/households.routes.ts'
import { reverificationRoutes } from './modules/households/reverification.routes.ts'
import { householdListRoutes } from './modules/households/list.routes.ts'
import { lifecycleRoutes } from './modules/households/lifecycle.routes.ts'
import { jobRoutes } from './modules/jobs/jobs.routes.ts'
import { orgRoutes } from './modules/orgs/orgs.routes.ts'
import { regionRoutes } from './modules/regions/regions.routes.ts'
import { standardRoutes } from './modules/standards/standards.routes.ts'
import { paymentRoutes } from './modules/payments/payments.routes.ts'
import { postingRoutes, publicPostingRoutes } from './modules/postings/postings.routes.ts'
import { programmeRoutes } from './modules/programmes/programmes.routes.ts'
import { fundRoutes } from './modules/funds/funds.routes.ts'
import { AppError } from './platform/errors.ts'
import type { PiiCipher } from './platform/pii-crypto.ts'
import { registerErrorHandler, registerSessionHook, requireSession } from './platform/http.ts'
import { trackRequestsInFlight } from './platform/in-flight.ts'

export interface AppOptions {
  database: DatabaseHandle
  /** The process logger; silent when omitted (tests). */
  logger?: FastifyBaseLogger
  /** Built web app to serve; omitted in API tests. */
  webDir?: string | null
  /** Send cookies with Secure (behind HTTPS). */
  secureCookies?: boolean
  /** Seals ID and phone numbers (platform/pii-crypto.ts); the key is the deployment's. */
  piiCipher: PiiCipher
  /** Sign-in attempts per address per minute (lower it in tests of the limiter). */
  loginRateLimit?: number
  /** objections a source may lodge per minute on the public posting pages */
  objectionRateLimit?: number
  /** Folder of household attachments (DATA_DIR/attachments); without it the attachment routes answer NOT_READY. */
  attachmentsDir?: string
  /** Where uploaded import files wait for validation and commit (DATA_DIR/imports); a temp folder when omitted. */
  importsDir?: string
}

/** Builds the whole HTTP application. No side effects beyond what the options say: the caller listens. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { db } = options.database
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID()
    },
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id)
    if (req.url.startsWith('/api/')) reply.header('cache-control', 'no-store')
  })

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Ant Design and the API docs page inject styles at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: options.secureCookies ? undefined : false,
  })
  await app.register(cookie)
  await app.register(rateLimit, { global: false })
  registerErrorHandler(app)

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Jiekun API', description: '解困 — worker hardship assistance management', version: '0.1.0' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'jk_sid' },
          csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
        },
      },
      security: [{ session: [], csrf: [] }],
    },
  })
  await app.register(swaggerUi, { routePrefix: '/api/docs' })
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger())

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }))
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await sql`SELECT 1`.execute(db)
      const pending = await pendingMigrations(db)
      if (pending.length > 0) return reply.status(503).send({ status: 'migrations pending', pending })
      return { status: 'ready', engine: options.database.kind }
    } catch (err) {
      app.log.warn({ err }, 'readiness check failed')
      return reply.status(503).send({ status: 'database unreachable' })
    }
  })

  trackRequestsInFlight(app)
  registerSessionHook(app, db)
  const secureCookies = options.secureCookies ?? false
  await app.register(
    async (api) => {
      await api.register(loginRoutes, { db, secureCookies, loginRateLimit: options.loginRateLimit ?? 10 })
      await api.register(publicPostingRoutes, { db, objectionRateLimit: options.objectionRateLimit ?? 5 })
      await api.register(async (protectedApi) => {
        requireSession(protectedApi)
        await protectedApi.register(accessRoutes, { db, secureCookies })
        await protectedApi.register(regionRoutes, { db })
        await protectedApi.register(orgRoutes, { db })
        await protectedApi.register(auditRoutes, { db })
        await protectedApi.register(dashboardRoutes, { db })
        await protectedApi.register(jobRoutes, { db })
        await protectedApi.register(approvalRoutes, { db })
        await protectedApi.register(lifecycleRoutes, { db })
        await protectedApi.register(householdListRoutes, { db, cipher: options.piiCipher })
        await protectedApi.register(householdRoutes, { db, cipher: options.piiCipher })
        await protectedApi.register(householdCareRoutes, { db })
        await protectedApi.register(householdLoanRoutes, { db })
        await protectedApi.register(attachmentRoutes, { db, dir: options.attachmentsDir ?? null })
        await protectedApi.register(householdImportRoutes, { db, cipher: options.piiCipher, importsDir: options.importsDir ?? null })
        await protectedApi.register(standardRoutes, { db })
        await protectedApi.register(programmeRoutes, { db })
        await protectedApi.register(applicationRoutes, { db, cipher: options.piiCipher })
        await protectedApi.register(reverificationRoutes, { db })
        await protectedApi.register(postingRoutes, { db, cipher: options.piiCipher })
        await protectedApi.register(paymentRoutes, { db, cipher: options.piiCipher, importsDir: options.importsDir ?? null })
        await protectedApi.register(fundRoutes, { db })
      })
    },
    { prefix: '/api' },
  )

  registerWebApp(app, options.webDir ?? null)
  return app
}

/**
 * Serves the built single-page app: files as they are on disk now (a rebuild needs no
 * restart), and index.html for every other GET outside /api/ so client routes load.
 */
function registerWebApp(app: FastifyInstance, webDir: string | null): void {
  const hasWeb = webDir !== null && fs.existsSync(path.join(webDir, 'index.html'))
  if (hasWeb) {
    void app.register(fastifyStatic, { root: webDir, wildcard: true, index: false, cacheControl: false })
    app.get('/', { schema: { hide: true } }, (_req, reply) => reply.header('cache-control', 'no-cache').sendFile('index.html'))
    app.addHook('onSend', async (req, reply) => {
      // Vite fingerprints everything under /assets/; the rest must be revalidated.
      if (req.url.startsWith('/assets/') && reply.statusCode === 200) reply.header('cache-control', 'public, max-age=31536000, immutable')
    })
  }
  app.setNotFoundHandler((req, reply) => {
    // A missing file (an old chunk name after a rebuild) is a 404, never index.html served as a script.
    const isFile = /\.[a-z0-9]+$/i.test(req.url.split('?')[0] ?? '')
    if (req.url.startsWith('/api/') || req.method !== 'GET' || !hasWeb || isFile) throw new AppError('NOT_FOUND')
    return reply.header('cache-control', 'no-cache').sendFile('index.html')
  })
}
