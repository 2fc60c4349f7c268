import { type Kysely, sql } from 'kysely'

// Applications for a programme (issue 4 §2, §3; domain.md §5): one household asks for one
// programme for one period; the amount and the explanation lines (eligibility, benefit) are
// recomputed by the server and kept as they were at submission. Partitioned by province like
// the other household tables. One active application per household, programme and period: a
// partial unique index over the statuses that still count (later issues add posted/payable/paid).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE application (
      province_code  text COLLATE "C" NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
      id             uuid NOT NULL DEFAULT gen_random_uuid(),
      household_id   uuid NOT NULL,
      programme_id   uuid NOT NULL REFERENCES programme (id),
      programme_code text COLLATE "C" NOT NULL,
      period         text COLLATE "C" NOT NULL CHECK (length(period) BETWEEN 4 AND 20),
      request        jsonb NOT NULL DEFAULT '{}'::jsonb,
      amount_fen     bigint NOT NULL CHECK (amount_fen >= 0),
      eligibility    jsonb NOT NULL,
      benefit        jsonb NOT NULL,
      status         text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'returned', 'approved', 'rejected', 'withdrawn')),
      approval_id    uuid,
      created_by     uuid REFERENCES app_user (id),
      created_at     timestamptz NOT NULL DEFAULT now(),
      updated_at     timestamptz NOT NULL DEFAULT now(),
      version        integer NOT NULL DEFAULT 1,
      PRIMARY KEY (province_code, id),
      FOREIGN KEY (province_code, household_id) REFERENCES household (province_code, id)
    );
    CREATE UNIQUE INDEX application_active_uq ON application (province_code, household_id, programme_id, period)
      WHERE status NOT IN ('rejected', 'withdrawn');
    CREATE INDEX application_household_idx ON application (province_code, household_id, created_at DESC);
    CREATE INDEX application_created_idx ON application (created_at DESC, id DESC);
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE application`.execute(db)
}
