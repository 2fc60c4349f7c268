import { type Kysely, sql } from 'kysely'

// Household imports (issue 3 §9): an uploaded spreadsheet, its validation and its commit. The
// file itself lives under DATA_DIR/imports (storage_key); nothing reaches the household tables
// before the person commits. household_import_problem lists every bad row (row number as the
// spreadsheet shows it, column header, reason in both languages) and every duplicate.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE household_import (
      id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      -- the filing organisation chosen for the whole file, and the importer's scope at upload
      org_id        uuid NOT NULL REFERENCES org (id),
      scope_prefix  text COLLATE "C" NOT NULL CHECK (scope_prefix ~ '^[0-9]{0,6}$'),
      region_code   text COLLATE "C" NOT NULL,
      created_by    uuid NOT NULL REFERENCES app_user (id),
      file_name     text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
      storage_key   text COLLATE "C" NOT NULL UNIQUE,
      format        text NOT NULL CHECK (format IN ('csv', 'xlsx')),
      size_bytes    bigint NOT NULL CHECK (size_bytes >= 0),
      status        text NOT NULL DEFAULT 'uploaded'
                    CHECK (status IN ('uploaded', 'validating', 'validated', 'committing', 'committed', 'failed', 'discarded')),
      mode          text CHECK (mode IN ('valid-only', 'all-or-nothing')),
      row_count        integer NOT NULL DEFAULT 0,
      household_count  integer NOT NULL DEFAULT 0,
      valid_households integer NOT NULL DEFAULT 0,
      valid_rows       integer NOT NULL DEFAULT 0,
      problem_count    integer NOT NULL DEFAULT 0,
      problem_rows     integer NOT NULL DEFAULT 0,
      duplicate_count  integer NOT NULL DEFAULT 0,
      committed_households integer NOT NULL DEFAULT 0,
      committed_members    integer NOT NULL DEFAULT 0,
      skipped_households   integer NOT NULL DEFAULT 0,
      failure       text,
      validate_job_id uuid,
      commit_job_id   uuid,
      created_at    timestamptz NOT NULL DEFAULT now(),
      validated_at  timestamptz,
      committed_at  timestamptz,
      updated_at    timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX household_import_region_idx ON household_import (region_code text_pattern_ops, created_at);

    CREATE TABLE household_import_problem (
      import_id     uuid NOT NULL REFERENCES household_import (id) ON DELETE CASCADE,
      seq           integer NOT NULL,
      -- 'validate' or 'commit' (a person filed elsewhere between validation and commit)
      phase         text NOT NULL CHECK (phase IN ('validate', 'commit')),
      -- as the spreadsheet numbers it: the header is row 1; 0 for the file as a whole
      row_no        integer NOT NULL CHECK (row_no >= 0),
      household_key text,
      column_name   text,
      code          text NOT NULL,
      message_en    text NOT NULL,
      message_zh    text NOT NULL,
      -- duplicates: the other row of the file, or the region holding the person's file
      dup_row_no    integer,
      dup_region_code text COLLATE "C",
      PRIMARY KEY (import_id, seq)
    );
    -- the problem list is read in file order
    CREATE INDEX household_import_problem_row_idx ON household_import_problem (import_id, row_no, seq);
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE household_import_problem; DROP TABLE household_import;`.execute(db)
}
