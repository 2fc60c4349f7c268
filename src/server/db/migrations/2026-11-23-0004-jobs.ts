import { type Kysely, sql } from 'kysely'

// Durable jobs: long work (imports, payment cycles, re-verification, reports) runs in
// chunks; each chunk commits its writes together with the job's checkpoint, so a killed
// process resumes where it stopped, losing nothing committed and repeating nothing.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE job (
      id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind           text NOT NULL,
      status         text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
      -- whose data the job touches: decides who may watch it (NULL: national)
      region_code    text COLLATE "C",
      province_code  text COLLATE "C" NOT NULL,
      created_by     uuid REFERENCES app_user (id),
      params         jsonb NOT NULL DEFAULT '{}',
      checkpoint     jsonb,
      progress_done  bigint NOT NULL DEFAULT 0,
      progress_total bigint,
      result         jsonb,
      error          text,
      attempts       integer NOT NULL DEFAULT 0,
      -- the claim of the runner working on it; a chunk commits only while its lease holds
      lease          uuid,
      cancel_requested boolean NOT NULL DEFAULT false,
      -- milliseconds: the keyset cursor carries a JavaScript Date, which has no microseconds
      created_at     timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
      started_at     timestamptz,
      heartbeat_at   timestamptz,
      finished_at    timestamptz
    );
    CREATE INDEX job_queue_idx ON job (status, created_at) WHERE status IN ('queued', 'running');
    CREATE INDEX job_region_idx ON job (region_code text_pattern_ops, created_at);
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE job`.execute(db)
}
