import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/** CSRF token for the current session — memory only, never persisted. */
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** UI language, sent as Accept-Language so server messages match the UI. */
let language = 'zh-CN';

export function setApiLanguage(lang: string): void {
  language = lang;
}

type UnauthorizedHandler = () => void;

/** Default: hard navigation to the login page; AuthProvider replaces it with a router-aware one. */
let onUnauthorized: UnauthorizedHandler = () => {
  if (window.location.pathname !== '/login') window.location.assign('/login');
};

export function setUnauthorizedHandler(handler: UnauthorizedHandler): void {
  onUnauthorized = handler;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** 401 from these endpoints is an answer, not an expired session. */
const NO_REDIRECT_ON_401 = ['/api/auth/login', '/api/auth/me', '/api/auth/password'];

const sessionMiddleware: Middleware = {
  onRequest({ request }) {
    request.headers.set('Accept-Language', language);
    if (!SAFE_METHODS.has(request.method.toUpperCase()) && csrfToken) {
      request.headers.set('x-csrf-token', csrfToken);
    }
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401) {
      const path = new URL(request.url, window.location.origin).pathname;
      if (!NO_REDIRECT_ON_401.includes(path)) {
        csrfToken = null;
        onUnauthorized();
      }
    }
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(sessionMiddleware);
