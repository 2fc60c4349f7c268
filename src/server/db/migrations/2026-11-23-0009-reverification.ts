import { type Kysely, sql } from 'kysely'

// Yearly re-verification (复核, domain.md §3; issue 3 §7): a run over every household on file in
// one scope re-applies the current standards as a durable job and leaves a work list, one item per
// household, for case workers to act on.
//
// One run per (year, region_prefix) at a time: a second start while one is running is refused
// (409, enforced here by the partial unique index, so two simultaneous starts cannot both pass).
// A finished run (succeeded, failed, cancelled) may be run again for the same year and region:
// the new run gets its own id and its own items, the older run stays as it was for the record.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE reverification_run (
      id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      year          integer NOT NULL CHECK (year BETWEEN 2000 AND 9999),
      -- the scope the run covers: a region-code prefix ('' national, '41', '4101', '410102') and an industry
      region_prefix text COLLATE "C" NOT NULL CHECK (region_prefix ~ '^([0-9]{2}|[0-9]{4}|[0-9]{6})?$'),
      industry      text,
      created_by    uuid REFERENCES app_user (id),
      created_at    timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
      job_id        uuid REFERENCES job (id),
      status        text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
      -- households per outcome: { total, done, still_eligible, propose_exit, facts_outdated, visit_overdue }
      counts        jsonb NOT NULL DEFAULT '{}',
      finished_at   timestamptz
    );
    CREATE UNIQUE INDEX reverification_run_one_running_idx
      ON reverification_run (year, region_prefix, coalesce(industry, '')) WHERE status = 'running';
    CREATE INDEX reverification_run_region_idx ON reverification_run (region_prefix text_pattern_ops, created_at);

    CREATE TABLE reverification_item (
      province_code text COLLATE "C" NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
      run_id        uuid NOT NULL REFERENCES reverification_run (id),
      household_id  uuid NOT NULL,
      -- the most pressing finding: propose_exit > facts_outdated > visit_overdue > still_eligible
      outcome       text NOT NULL CHECK (outcome IN ('still_eligible', 'propose_exit', 'facts_outdated', 'visit_overdue')),
      -- every finding, each { code, ...figures }
      reasons       jsonb NOT NULL DEFAULT '[]',
      resolution    text CHECK (resolution IN ('confirmed', 'exit_started', 'updated', 'dismissed')),
      resolved_by   uuid REFERENCES app_user (id),
      resolved_at   timestamptz,
      note          text,
      PRIMARY KEY (province_code, run_id, household_id),
      FOREIGN KEY (province_code, household_id) REFERENCES household (province_code, id),
      CHECK ((resolution IS NULL) = (resolved_at IS NULL))
    );
    CREATE INDEX reverification_item_run_idx ON reverification_item (run_id, household_id);
    CREATE INDEX reverification_item_household_idx ON reverification_item (province_code, household_id);
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE reverification_item; DROP TABLE reverification_run;`.execute(db)
}
