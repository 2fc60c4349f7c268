import { type Kysely, sql } from 'kysely'

// Supervision flags on payments (issue 5 §4; domain.md §6, seeds 000 §二, 001 §四(二)): what a scan of a
// cycle finds — a payment to an exited or removed household, one person paid in two households for the
// same programme and period, a household paid above the programme's yearly cap, one bank account shared
// by beneficiaries of different households. One flag per finding (a unique key), so a scan run again adds
// nothing; each is acknowledged or resolved with a note.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE payment_flag (
      province_code text COLLATE "C" NOT NULL,
      id            uuid NOT NULL DEFAULT gen_random_uuid(),
      kind          text NOT NULL CHECK (kind IN ('ended_household', 'person_twice', 'over_cap', 'shared_account')),
      cycle_id      uuid NOT NULL,
      line_no       integer NOT NULL,
      household_id  uuid NOT NULL,
      region_code   text COLLATE "C" NOT NULL,
      details       jsonb NOT NULL,
      status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved')),
      note          text,
      decided_by    uuid REFERENCES app_user (id),
      decided_at    timestamptz,
      detected_at   timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (province_code, id),
      UNIQUE (province_code, kind, cycle_id, line_no),
      FOREIGN KEY (province_code, cycle_id) REFERENCES payment_cycle (province_code, id)
    );
    CREATE INDEX payment_flag_region_idx ON payment_flag (region_code text_pattern_ops, detected_at DESC);
    -- The same person in two households (all of them, not only the active ones person_registry holds).
    CREATE INDEX household_member_person_idx ON household_member (id_number_index);
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE payment_flag; DROP INDEX household_member_person_idx;`.execute(db)
}
