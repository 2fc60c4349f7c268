/**
 * Domain types derived from the (generated) OpenAPI `paths`, so they follow the
 * server's schema without relying on named `components`.
 */
import type { paths } from './schema';

type JsonContent<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Responses<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer R } ? R : never;

/** JSON body of the given success status of an operation. */
export type ResponseOf<
  P extends keyof paths,
  M extends keyof paths[P],
  S extends keyof Responses<P, M> = 200 extends keyof Responses<P, M> ? 200 : never,
> = JsonContent<Responses<P, M>[S]>;

/** JSON request body of an operation. */
export type BodyOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: infer B;
}
  ? JsonContent<NonNullable<B>>
  : never;

type Items<T> = T extends { items: Array<infer I> } ? I : never;

export type Session = ResponseOf<'/api/auth/me', 'get'>;
export type Me = Session['user'];
export type Region = Items<ResponseOf<'/api/regions', 'get'>>;
export type RegionWithPath = ResponseOf<'/api/regions/{code}', 'get'>;
export type Org = ResponseOf<'/api/orgs/{id}', 'get'>;
export type OrgPage = ResponseOf<'/api/orgs', 'get'>;
export type User = Items<ResponseOf<'/api/users', 'get'>>;
export type UserPage = ResponseOf<'/api/users', 'get'>;
export type RolesResponse = ResponseOf<'/api/roles', 'get'>;
export type Role = Items<RolesResponse>;
export type AuditEntry = Items<ResponseOf<'/api/audit', 'get'>>;
export type AuditPage = ResponseOf<'/api/audit', 'get'>;
export type AuditVerify = ResponseOf<'/api/audit/verify', 'get'>;
export type DashboardSummary = ResponseOf<'/api/dashboard/summary', 'get'>;
export type Household = ResponseOf<'/api/households/{id}', 'get'>;
export type HouseholdMember = Household['members'][number];
export type HouseholdInput = BodyOf<'/api/households', 'post'>;
export type HouseholdMemberInput = HouseholdInput['members'][number];
