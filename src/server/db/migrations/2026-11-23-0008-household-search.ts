import { type Kysely, sql } from 'kysely'

// Search and lists of household files (issue 3 §8), sized for 3,000,000 households.
//
// A list page is "the first 50 rows in scope, in a sort order, after a cursor". Each index
// below lets PostgreSQL walk rows already in that order and stop after 51, whatever the scope:
// region_code is COLLATE "C", so a default-opclass btree serves both `LIKE '41%'` (as a range)
// and ORDER BY (a text_pattern_ops index cannot serve ORDER BY).
//
//   sort fileNo   = ORDER BY region_code, file_no, id — the county code leads the file number,
//                   so this is file-number order, and one range scan serves every scope.
//   sort createdAt / perCapita: a county list (region_code = '410102') walks (region_code, key, id);
//                   national, province and city lists walk (key, id) and drop the rows outside
//                   the region as they go (a province is ~1/31 of the nation: ~1,600 entries per
//                   page at 3 M), or the planner sorts the region's range when filters are rare.
//                   (Measured: adding province_code = '41' beside region_code LIKE '41%' to use a
//                   (province_code, key, id) index made the planner multiply the two selectivities,
//                   estimate a province at 42 rows and sort all of it: 50–100 ms instead of 1.)
//   perCapita     sorts coalesce(per_capita_monthly_fen, max bigint): unclassified files last
//                   ascending, first descending, and the keyset stays a plain row comparison.
//   status        (status, region_code, file_no, id): "files on record in my county" in order.
//   helper / org  equality on the organisation, then file-number order.
//   name          household_member (name text_pattern_ops, …): a prefix of any member's name
//                   (surname, full name, the head or anyone else) through a semi-join.
//   fileNo filter a prefix of the file number (file_no is COLLATE "C").
// Type, cause, group and batch are filters applied while walking one of the orders above: each
// value is common enough (≥ 1 %) that a page is found within a few thousand index entries; a GIN
// index on the arrays would only pay for bitmap scans followed by a sort (measured: slower).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- replaced by household_list_region_created_idx (default opclass: also serves ORDER BY)
    DROP INDEX household_region_idx;
    CREATE INDEX household_list_region_file_idx ON household (region_code, file_no, id);
    CREATE INDEX household_list_region_created_idx ON household (region_code, created_at, id);
    CREATE INDEX household_list_created_idx ON household (created_at, id);
    CREATE INDEX household_list_region_per_capita_idx ON household (region_code, (coalesce(per_capita_monthly_fen, 9223372036854775807)), id);
    CREATE INDEX household_list_per_capita_idx ON household ((coalesce(per_capita_monthly_fen, 9223372036854775807)), id);
    CREATE INDEX household_list_status_idx ON household (status, region_code, file_no, id);
    CREATE INDEX household_list_helper_idx ON household (helper_org_id, region_code, file_no, id) WHERE helper_org_id IS NOT NULL;
    CREATE INDEX household_list_org_idx ON household (org_id, region_code, file_no, id);
    CREATE INDEX household_list_file_no_idx ON household (file_no);
    CREATE INDEX household_member_name_idx ON household_member (name text_pattern_ops, province_code, household_id);
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX household_member_name_idx; DROP INDEX household_list_file_no_idx; DROP INDEX household_list_org_idx;
    DROP INDEX household_list_helper_idx; DROP INDEX household_list_status_idx; DROP INDEX household_list_per_capita_idx;
    DROP INDEX household_list_region_per_capita_idx; DROP INDEX household_list_created_idx;
    DROP INDEX household_list_region_created_idx; DROP INDEX household_list_region_file_idx;
    CREATE INDEX household_region_idx ON household (region_code text_pattern_ops, created_at);
  `.execute(db)
}
