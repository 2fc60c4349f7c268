import type { Migration } from 'kysely'
import * as platform from './2026-11-23-0001-platform.ts'
import * as regions from './2026-11-23-0002-regions.ts'
import * as orgChildrenOrder from './2026-11-23-0003-org-children-order.ts'
import * as jobs from './2026-11-23-0004-jobs.ts'
import * as approvals from './2026-11-23-0005-approvals.ts'
import * as households from './2026-11-23-0006-households.ts'

/** Every migration, by name; names sort in the order they run. Append, never reorder or edit. */
export const migrations: Record<string, Migration> = {
  '2026-11-23-0001-platform': platform,
  '2026-11-23-0002-regions': regions,
  '2026-11-23-0003-org-children-order': orgChildrenOrder,
  '2026-11-23-0004-jobs': jobs,
  '2026-11-23-0005-approvals': approvals,
  '2026-11-23-0006-households': households,
}
