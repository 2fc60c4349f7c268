import type { Database, Kysely } from '../db/database.ts'
import { checkNewUser, createUser } from '../modules/access/users.service.ts'
import { createOrg, getOrg, listOrgs, type Org } from '../modules/orgs/orgs.service.ts'
import { systemPrincipal } from '../platform/principal.ts'
import { isUuid } from '../platform/ids.ts'

/**
 * The command line's user creation: the first administrator of a production store, or
 * an account added by an operator on the server. It goes through the same services as
 * the API, acting as the system (audit actor 'system', request id 'cli').
 */

export interface CliUserInput {
  username: string
  displayName: string
  /** An organisation id, or an organisation's exact name. Exactly one of `org` and `createNationalOrg`. */
  org: string | null
  /** Name of a national (ministry-type) root organisation to create first and place the user in. */
  createNationalOrg: string | null
  roles: string[]
  password: string
}

export interface CliUserResult {
  userId: string
  username: string
  orgId: string
  orgName: string
  roles: string[]
  createdOrg: boolean
}


export async function createUserFromCli(db: Kysely<Database>, input: CliUserInput): Promise<CliUserResult> {
  if ((input.org === null) === (input.createNationalOrg === null)) throw new Error('give exactly one of --org and --create-national-org')
  const roles = [...new Set(input.roles.map((r) => r.trim()).filter((r) => r !== ''))]
  if (roles.length === 0) throw new Error('--roles must name at least one role')
  const system = systemPrincipal('cli')
  await checkNewUser(db, { ...input, roles })
  const org =
    input.org !== null
      ? await findOrg(db, input.org)
      : await createOrg(db, system, { parentId: null, name: input.createNationalOrg!, type: 'ministry', regionCode: '' })
  const user = await createUser(db, system, { username: input.username, displayName: input.displayName, orgId: org.id, roles, password: input.password })
  return { userId: user.id, username: user.username, orgId: org.id, orgName: org.name, roles: user.roles, createdOrg: input.org === null }
}

/** By id, or by exact name (names repeat across the tree, so an ambiguous name is refused with the candidates). */
async function findOrg(db: Kysely<Database>, idOrName: string): Promise<Org> {
  const system = systemPrincipal('cli')
  const wanted = idOrName.trim()
  const found = isUuid(wanted)
    ? [await getOrg(db, system, wanted).catch(() => null)].filter((o): o is Org => o !== null)
    : (await listOrgs(db, system, { q: wanted, limit: 200 })).items.filter((o) => o.name === wanted)
  if (found.length === 0) {
    throw new Error(`No organisation ${wanted}. On an empty store create the national root with --create-national-org "中华全国总工会"`)
  }
  if (found.length > 1) {
    throw new Error(`${found.length} organisations are named ${wanted}; give one by id:\n${found.map((o) => `  ${o.id}  (${o.level}, region ${o.regionCode || 'national'})`).join('\n')}`)
  }
  return found[0]!
}
