import { api } from '../api/client';
import { unwrap } from '../api/errors';
import type { Org } from '../api/types';

/** Upper bound on pages followed when listing one level of the tree. */
const MAX_PAGES = 20;

/**
 * All organisations directly under `parentId` (top-level orgs in the user's
 * scope when omitted), following `nextCursor` with the server's page size.
 */
export async function fetchOrgChildren(parentId?: string): Promise<Org[]> {
  const all: Org[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const query: { parentId?: string; cursor?: string } = {};
    if (parentId) query.parentId = parentId;
    if (cursor) query.cursor = cursor;
    const res = await unwrap(api.GET('/api/orgs', { params: { query } }));
    all.push(...res.items);
    if (!res.nextCursor) break;
    cursor = res.nextCursor;
  }
  return all;
}
