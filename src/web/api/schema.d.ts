/**
 * PLACEHOLDER — hand-written from the API contract until the server's
 * `npm run gen:api` (scripts/gen-api-client.ts) generates this file from the
 * real OpenAPI document. It is meant to be overwritten; the front end only
 * relies on `paths` and the contract's field names, never on `components`.
 */

type ErrorBody = {
  error: { code: string; message: string; details?: unknown };
};
type Json<T> = { headers: { [name: string]: unknown }; content: { 'application/json': T } };
type NoContent = { headers: { [name: string]: unknown }; content?: never };
type Errors = {
  400: Json<ErrorBody>;
  401: Json<ErrorBody>;
  403: Json<ErrorBody>;
  404: Json<ErrorBody>;
  409: Json<ErrorBody>;
  423: Json<ErrorBody>;
  429: Json<ErrorBody>;
  500: Json<ErrorBody>;
};

type OrgLevel = 'national' | 'province' | 'city' | 'county' | 'grassroots';
type RegionLevel = 'province' | 'city' | 'county';

type Me = {
  id: string;
  username: string;
  displayName: string;
  locale: 'zh-CN' | 'en';
  org: { id: string; name: string; type: string; level: OrgLevel; regionCode: string; regionName: string };
  scope: { regionCode: string; regionName: string; industry: string | null };
  roles: string[];
  permissions: string[];
};
type Region = { code: string; name: string; level: RegionLevel; parentCode: string | null; hasChildren: boolean };
type Org = {
  id: string;
  name: string;
  type: string;
  level: OrgLevel;
  regionCode: string;
  regionName: string;
  industry: string | null;
  parentId: string | null;
  active: boolean;
  childCount: number;
};
type User = {
  id: string;
  username: string;
  displayName: string;
  orgId: string;
  orgName: string;
  roles: string[];
  active: boolean;
  locked: boolean;
  lastLoginAt: string | null;
  createdAt: string;
};
type Role = { code: string; name: string; permissions: string[]; builtIn: boolean };
type AuditEntry = {
  id: string;
  seq: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  regionCode: string | null;
  before: unknown;
  after: unknown;
};

type Op<Params, Body, Responses> = [Body] extends [never]
  ? { parameters: Params; requestBody?: never; responses: Responses }
  : { parameters: Params; requestBody: Body; responses: Responses };
type NoParams = { query?: never; header?: never; path?: never; cookie?: never };
type IdPath = { query?: never; header?: never; path: { id: string }; cookie?: never };
type JsonBody<T> = { content: { 'application/json': T } };
type Unused = { parameters: NoParams; get?: never; put?: never; post?: never; delete?: never; options?: never; head?: never; patch?: never; trace?: never };

export interface paths {
  '/api/auth/login': Omit<Unused, 'post'> & {
    post: Op<NoParams, JsonBody<{ username: string; password: string }>, { 200: Json<{ user: Me; csrfToken: string }> } & Errors>;
  };
  '/api/auth/logout': Omit<Unused, 'post'> & {
    post: Op<NoParams, never, { 204: NoContent } & Errors>;
  };
  '/api/auth/me': Omit<Unused, 'get'> & {
    get: Op<NoParams, never, { 200: Json<{ user: Me; csrfToken: string }> } & Errors>;
  };
  '/api/auth/password': Omit<Unused, 'post'> & {
    post: Op<NoParams, JsonBody<{ currentPassword: string; newPassword: string }>, { 204: NoContent } & Errors>;
  };
  '/api/regions': Omit<Unused, 'get'> & {
    get: Op<{ query?: { parent?: string }; header?: never; path?: never; cookie?: never }, never, { 200: Json<{ items: Region[] }> } & Errors>;
  };
  '/api/regions/{code}': Omit<Unused, 'get'> & {
    get: Op<{ query?: never; header?: never; path: { code: string }; cookie?: never }, never, { 200: Json<Region & { path: Region[] }> } & Errors>;
  };
  '/api/orgs': Omit<Unused, 'get' | 'post'> & {
    get: Op<
      { query?: { parentId?: string; q?: string; cursor?: string; limit?: number }; header?: never; path?: never; cookie?: never },
      never,
      { 200: Json<{ items: Org[]; nextCursor: string | null }> } & Errors
    >;
    post: Op<NoParams, JsonBody<{ parentId: string; name: string; type: string; regionCode: string; industry?: string }>, { 201: Json<Org> } & Errors>;
  };
  '/api/orgs/{id}': Omit<Unused, 'get' | 'patch'> & {
    get: Op<IdPath, never, { 200: Json<Org> } & Errors>;
    patch: Op<IdPath, JsonBody<{ name?: string; industry?: string | null; active?: boolean }>, { 200: Json<Org> } & Errors>;
  };
  '/api/users': Omit<Unused, 'get' | 'post'> & {
    get: Op<
      { query?: { q?: string; orgId?: string; cursor?: string; limit?: number }; header?: never; path?: never; cookie?: never },
      never,
      { 200: Json<{ items: User[]; nextCursor: string | null }> } & Errors
    >;
    post: Op<NoParams, JsonBody<{ username: string; displayName: string; orgId: string; roles: string[]; password: string }>, { 201: Json<User> } & Errors>;
  };
  '/api/users/{id}': Omit<Unused, 'patch'> & {
    patch: Op<IdPath, JsonBody<{ displayName?: string; roles?: string[]; active?: boolean }>, { 200: Json<User> } & Errors>;
  };
  '/api/users/{id}/reset-password': Omit<Unused, 'post'> & {
    post: Op<IdPath, JsonBody<{ password: string }>, { 204: NoContent } & Errors>;
  };
  '/api/users/{id}/unlock': Omit<Unused, 'post'> & {
    post: Op<IdPath, never, { 204: NoContent } & Errors>;
  };
  '/api/roles': Omit<Unused, 'get'> & {
    get: Op<NoParams, never, { 200: Json<{ items: Role[]; permissions: string[] }> } & Errors>;
  };
  '/api/roles/{code}': Omit<Unused, 'put'> & {
    put: Op<{ query?: never; header?: never; path: { code: string }; cookie?: never }, JsonBody<{ permissions: string[] }>, { 200: Json<Role> } & Errors>;
  };
  '/api/audit': Omit<Unused, 'get'> & {
    get: Op<
      {
        query?: { action?: string; entityType?: string; from?: string; to?: string; cursor?: string; limit?: number };
        header?: never;
        path?: never;
        cookie?: never;
      },
      never,
      { 200: Json<{ items: AuditEntry[]; nextCursor: string | null }> } & Errors
    >;
  };
  '/api/audit/verify': Omit<Unused, 'get'> & {
    get: Op<NoParams, never, { 200: Json<{ ok: boolean; checked: number; firstBroken: null | { seq: string; reason: string } }> } & Errors>;
  };
  '/api/dashboard/summary': Omit<Unused, 'get'> & {
    get: Op<
      NoParams,
      never,
      { 200: Json<{ orgs: number; users: number; regions: { provinces: number; cities: number; counties: number }; auditEntries: number }> } & Errors
    >;
  };
}

export type webhooks = Record<string, never>;
export type components = Record<string, never>;
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
