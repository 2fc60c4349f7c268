import { type Kysely, sql } from 'kysely'

// A fifth supervision flag (issue 5 §4; domain.md §6 "funds used outside the programme's scope"):
// a line paid from a fund type that may not pay the programme's kind, to a household outside the
// paying organisation's region, or to a household on file that no longer meets the programme's rule.
// The scan now works through a cycle's lines in ranges; the index lets a range find the other lines
// of the cycle that share a bank account without reading the whole cycle each time.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE payment_flag DROP CONSTRAINT payment_flag_kind_check;
    ALTER TABLE payment_flag ADD CONSTRAINT payment_flag_kind_check
      CHECK (kind IN ('ended_household', 'person_twice', 'over_cap', 'shared_account', 'outside_scope'));
    CREATE INDEX payment_line_account_idx ON payment_line (province_code, cycle_id, bank_account_index) WHERE bank_account_index IS NOT NULL;
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX payment_line_account_idx;
    DELETE FROM payment_flag WHERE kind = 'outside_scope';
    ALTER TABLE payment_flag DROP CONSTRAINT payment_flag_kind_check;
    ALTER TABLE payment_flag ADD CONSTRAINT payment_flag_kind_check
      CHECK (kind IN ('ended_household', 'person_twice', 'over_cap', 'shared_account'));
  `.execute(db)
}
