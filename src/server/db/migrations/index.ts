import type { Migration } from 'kysely'
import * as platform from './2026-11-23-0001-platform.ts'
import * as regions from './2026-11-23-0002-regions.ts'
import * as orgChildrenOrder from './2026-11-23-0003-org-children-order.ts'
import * as jobs from './2026-11-23-0004-jobs.ts'
import * as approvals from './2026-11-23-0005-approvals.ts'
import * as households from './2026-11-23-0006-households.ts'
import * as householdFile from './2026-11-23-0007-household-file.ts'
import * as householdSearch from './2026-11-23-0008-household-search.ts'
import * as reverification from './2026-11-23-0009-reverification.ts'
import * as householdImport from './2026-11-23-0010-household-import.ts'
import * as care from './2026-11-23-0011-care.ts'
import * as householdHeadName from './2026-11-23-0012-household-head-name.ts'
import * as standardApplied from './2026-11-23-0013-standard-applied.ts'
import * as programmes from './2026-11-23-0014-programmes.ts'
import * as loansTraining from './2026-11-23-0015-loans-training.ts'
import * as applications from './2026-11-23-0016-applications.ts'
import * as postings from './2026-11-23-0017-postings.ts'
import * as ledger from './2026-11-23-0018-ledger.ts'
import * as payments from './2026-11-23-0019-payments.ts'
import * as flagOutsideScope from './2026-12-02-0021-flag-outside-scope.ts'
import * as paymentFlags from './2026-11-23-0020-payment-flags.ts'

/** Every migration, by name; names sort in the order they run. Append, never reorder or edit. */
export const migrations: Record<string, Migration> = {
  '2026-11-23-0001-platform': platform,
  '2026-11-23-0002-regions': regions,
  '2026-11-23-0003-org-children-order': orgChildrenOrder,
  '2026-11-23-0004-jobs': jobs,
  '2026-11-23-0005-approvals': approvals,
  '2026-11-23-0006-households': households,
  '2026-11-23-0007-household-file': householdFile,
  '2026-11-23-0008-household-search': householdSearch,
  '2026-11-23-0009-reverification': reverification,
  '2026-11-23-0010-household-import': householdImport,
  '2026-11-23-0011-care': care,
  '2026-11-23-0012-household-head-name': householdHeadName,
  '2026-11-23-0013-standard-applied': standardApplied,
  '2026-11-23-0014-programmes': programmes,
  '2026-11-23-0015-loans-training': loansTraining,
  '2026-11-23-0016-applications': applications,
  '2026-11-23-0017-postings': postings,
  '2026-11-23-0018-ledger': ledger,
  '2026-11-23-0019-payments': payments,
  '2026-11-23-0020-payment-flags': paymentFlags,
  '2026-12-02-0021-flag-outside-scope': flagOutsideScope,
}
