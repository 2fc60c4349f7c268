import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { buildApp } from '../../src/server/app.ts'
import { prepareDatabase } from '../../src/server/bootstrap.ts'
import { loadConfig } from '../../src/server/config.ts'
import { createJobRunner, jobOptionsFor } from '../../src/server/jobs.ts'
import { createPiiCipher, loadOrCreatePiiKey } from '../../src/server/platform/pii-crypto.ts'
import type { DatabaseHandle } from '../../src/server/db/engine.ts'

export const DEMO_PASSWORD = 'e2e-demo-password'

export interface Harness {
  baseUrl: string
  browser: Browser
  /** A fresh browser context (own cookies) and page at the given size, asking for less motion unless told otherwise. */
  newPage(size?: { width: number; height: number }, motion?: 'reduce' | 'no-preference'): Promise<{ context: BrowserContext; page: Page }>
  /** An organisation's id by its exact name, read from the store (for direct-URL checks). */
  findOrgId(name: string): Promise<string>
  /** The store itself, to find demo records a test starts from (never to change them). */
  db: DatabaseHandle['db']
  /** Rows in a table, read from the store (to show that something wrote nothing). */
  count(table: 'household' | 'household_member' | 'person_registry' | 'household_event'): Promise<number>
  close(): Promise<void>
}

/** The real server on a fresh embedded store with demo data, and Debian's Chromium. */
/**
 * `households: true` also seeds the demo province's household files, standards and its one-step
 * (city) approval policy — what a person sees after `npm start` — at the cost of ~20 s.
 */
export async function startHarness(options: { households?: boolean } = {}): Promise<Harness> {
  const webDir = path.resolve('dist/web')
  if (!fs.existsSync(path.join(webDir, 'index.html'))) throw new Error('dist/web is not built: run npm run build:web first')
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiekun-e2e-'))
  const config = { ...loadConfig({ DATA_DIR: dataDir, JIEKUN_DEMO_PASSWORD: DEMO_PASSWORD }), seedDemo: true }
  const piiCipher = createPiiCipher(loadOrCreatePiiKey({ env: {}, dataDir, production: false, databaseUrl: null }).key)
  const database: DatabaseHandle = await prepareDatabase(config, { info: () => undefined }, options.households ? { piiCipher } : {})
  const attachmentsDir = path.join(dataDir, 'attachments')
  const importsDir = path.join(dataDir, 'imports')
  const app: FastifyInstance = await buildApp({ database, webDir, piiCipher, attachmentsDir, importsDir })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const jobs = createJobRunner(database.db, { pollMs: 200, piiCipher, importsDir, ...jobOptionsFor(database.kind) })
  jobs.start()
  const address = app.server.address()
  if (!address || typeof address === 'string') throw new Error('no port')
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  })
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    browser,
    db: database.db,
    async newPage(size = { width: 1366, height: 768 }, motion = 'reduce') {
      // Asking for less motion, as a person may in their system settings, turns Ant Design's animations
      // off (App.tsx): on a loaded machine a click that lands while a menu slides or a dialog zooms
      // can have its mousedown and mouseup on different elements, and then it does nothing.
      const context = await browser.newContext({ viewport: size, locale: 'zh-CN', reducedMotion: motion, baseURL: `http://127.0.0.1:${address.port}` })
      // A step that has not happened in 10 s is a failure, not something to wait out.
      context.setDefaultTimeout(10_000)
      return { context, page: await context.newPage() }
    },
    async count(table) {
      const row = await database.db.selectFrom(table).select((eb) => eb.fn.countAll<bigint>().as('n')).executeTakeFirstOrThrow()
      return Number(row.n)
    },
    async findOrgId(name: string) {
      return (await database.db.selectFrom('org').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id
    },
    async close() {
      await browser.close()
      await jobs.stop()
      await app.close()
      await database.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Where screenshots of each page go, for people to look at (not compared by the tests). */
export function screenshotPath(name: string): string {
  const dir = path.resolve('test-results/screenshots')
  fs.mkdirSync(dir, { recursive: true })
  return path.join(dir, `${name}.png`)
}

/**
 * Picks `option` in the antd Select marked `testId`, and checks that it took: on a loaded machine a click
 * that lands while the dropdown is still opening is dropped, so the pick is tried again (three times at most).
 */
export async function choose(page: Page, testId: string, option: string): Promise<void> {
  const select = page.getByTestId(testId)
  for (let attempt = 1; ; attempt++) {
    await select.click()
    await page.locator('.ant-select-item-option:visible', { hasText: option }).first().click()
    const took = await select
      .filter({ hasText: option })
      .waitFor({ timeout: 3_000 })
      .then(() => true, () => false)
    if (took) return
    if (attempt === 3) throw new Error(`the select ${testId} did not take the option ${option}`)
    await page.keyboard.press('Escape')
  }
}

/** Signs in through the login page as a demo user and waits for the workbench. */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login')
  await page.getByTestId('login-username').fill(username)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
  await page.getByTestId('dashboard').waitFor()
}
