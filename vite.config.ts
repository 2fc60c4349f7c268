import { fileURLToPath } from 'node:url';
import type { IncomingMessage } from 'node:http';
import { defineConfig, type ProxyOptions } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('./src/web', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/web', import.meta.url));
const apiTarget = process.env.JIEKUN_API ?? 'http://127.0.0.1:8080';

/**
 * The source folder src/web/api/ is served by Vite as /api/*.ts in dev, which
 * shares the /api prefix with the server: let module requests through to Vite.
 */
function skipSourceModules(req: IncomingMessage): string | undefined {
  const url = req.url ?? '';
  return /^\/api\/[^?]*\.(?:ts|tsx|js|mjs|css|map)(?:\?|$)/.test(url) ? url : undefined;
}

const serverProxy: Record<string, ProxyOptions> = {
  '/api': { target: apiTarget, bypass: skipSourceModules },
  '/healthz': { target: apiTarget },
  '/readyz': { target: apiTarget },
};

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 900,
  },
  server: { port: 5173, proxy: serverProxy },
  preview: { port: 4173, proxy: serverProxy },
});
