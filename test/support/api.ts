import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { buildApp } from '../../src/server/app.ts'
import { createPiiCipher } from '../../src/server/platform/pii-crypto.ts'
import { TEST_PASSWORD } from './engine.ts'
import { type TestDatabase, testDatabase } from './db.ts'

/** One fixed key for every test: sealed values are readable across a run. */
export const testCipher = createPiiCipher(Buffer.alloc(32, 7))

export interface Session {
  cookie: string
  csrfToken: string
  userId: string
}

export interface TestApi {
  app: FastifyInstance
  database: TestDatabase
  /** A private attachments folder, removed on close. */
  attachmentsDir: string
  /** A private folder for uploaded import files (give it to a job runner too), removed on close. */
  importsDir: string
  /** Signs in a demo user (password TEST_PASSWORD unless given). */
  login(username: string, password?: string): Promise<Session>
  /** A request as `session` (anonymous when null), in English by default; writes carry the CSRF token. */
  request(session: Session | null, options: InjectOptions): Promise<LightMyRequestResponse>
  close(): Promise<void>
}

export async function testApi(options: { loginRateLimit?: number; objectionRateLimit?: number } = {}): Promise<TestApi> {
  const database = await testDatabase()
  const attachmentsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiekun-attachments-'))
  const importsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiekun-imports-'))
  const app = await buildApp({ database, loginRateLimit: options.loginRateLimit ?? 10_000, objectionRateLimit: options.objectionRateLimit ?? 10_000, piiCipher: testCipher, attachmentsDir, importsDir })
  await app.ready()
  const api: TestApi = {
    app,
    database,
    attachmentsDir,
    importsDir,
    async login(username, password = TEST_PASSWORD) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } })
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`)
      const cookie = res.cookies.find((c) => c.name === 'jk_sid')
      if (!cookie) throw new Error('no session cookie')
      const body = res.json() as { csrfToken: string; user: { id: string } }
      return { cookie: `jk_sid=${cookie.value}`, csrfToken: body.csrfToken, userId: body.user.id }
    },
    request(session, options) {
      // English unless the test asks otherwise: field messages are then easy to read in assertions.
      const headers: Record<string, string> = { 'accept-language': 'en', ...(options.headers as Record<string, string> | undefined) }
      if (session) {
        headers.cookie = session.cookie
        if (options.method && !['GET', 'HEAD'].includes(options.method)) headers['x-csrf-token'] = session.csrfToken
      }
      return app.inject({ ...options, headers })
    },
    async close() {
      await app.close()
      await database.drop()
      fs.rmSync(attachmentsDir, { recursive: true, force: true })
      fs.rmSync(importsDir, { recursive: true, force: true })
    },
  }
  return api
}
