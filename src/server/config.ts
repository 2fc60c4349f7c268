import path from 'node:path'

/** Everything the process reads from its environment, read once. */
export interface Config {
  port: number
  host: string
  /** PostgreSQL connection string; when absent the embedded PGlite store in `dataDir` is used. */
  databaseUrl: string | null
  dataDir: string
  production: boolean
  demoPassword: string
  logLevel: string
  /** Seed demo data when the store is empty (default on outside production). */
  seedDemo: boolean
  /** Directory holding the built web app (Vite output). */
  webDir: string
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production'
  const port = Number(env.PORT ?? 8080)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a whole number from 0 to 65535, got "${env.PORT}"`)
  }
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL?.trim() || null,
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    production,
    demoPassword: env.JIEKUN_DEMO_PASSWORD ?? 'jiekun-demo',
    logLevel: env.LOG_LEVEL ?? (env.VITEST ? 'silent' : 'info'),
    seedDemo: env.JIEKUN_SEED_DEMO ? env.JIEKUN_SEED_DEMO !== '0' : !production,
    webDir: path.resolve(env.JIEKUN_WEB_DIR ?? 'dist/web'),
  }
}
