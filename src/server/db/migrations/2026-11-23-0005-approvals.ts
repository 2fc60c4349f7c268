import { type Kysely, sql } from 'kysely'

// Generic maker-checker: approval levels configured per region and subject kind
// (approval_policy), one approval per submission of a subject, and its append-only history
// of actions. approval and approval_action grow with the nation (one per household file,
// application and payment batch): they carry province_code and their keys begin with it.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE approval_policy (
      id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      subject_kind   text NOT NULL CHECK (subject_kind ~ '^[a-z][a-z_]*\\.[a-z][a-z_]*$'),
      -- '' national default, '41' province, '4101' city, '410102' county: the longest prefix of the subject's region wins
      region_prefix  text COLLATE "C" NOT NULL CHECK (region_prefix ~ '^([0-9]{2}|[0-9]{4}|[0-9]{6})?$'),
      -- ordered [{ "level": "county" | "city" | "province" | "national", "permission": "household.approve" }]
      steps          jsonb NOT NULL CHECK (jsonb_typeof(steps) = 'array' AND jsonb_array_length(steps) BETWEEN 1 AND 10),
      effective_from date NOT NULL,
      created_by     uuid REFERENCES app_user (id),
      created_at     timestamptz NOT NULL DEFAULT now(),
      UNIQUE (subject_kind, region_prefix, effective_from)
    );

    CREATE TABLE approval (
      province_code   text COLLATE "C" NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
      id              uuid NOT NULL DEFAULT gen_random_uuid(),
      subject_kind    text NOT NULL,
      subject_id      text NOT NULL,
      region_code     text COLLATE "C" NOT NULL REFERENCES region (code),
      maker_id        uuid NOT NULL REFERENCES app_user (id),
      maker_name      text NOT NULL,
      status          text NOT NULL CHECK (status IN ('pending', 'returned', 'approved', 'rejected', 'withdrawn')),
      current_step    integer NOT NULL DEFAULT 0,
      -- the policy's steps as they were at submission: a later policy change never alters a running approval
      steps           jsonb NOT NULL CHECK (jsonb_typeof(steps) = 'array' AND jsonb_array_length(steps) >= 1),
      policy_id       uuid REFERENCES approval_policy (id),
      -- what the current step needs, copied out of steps while pending so the work list is an index scan
      step_level      text CHECK (step_level IN ('county', 'city', 'province', 'national')),
      step_permission text,
      -- 1 + the number of resubmissions
      round           integer NOT NULL DEFAULT 1,
      -- bumped by every action: a checker decides the version they saw, or gets a conflict
      version         integer NOT NULL DEFAULT 1,
      -- milliseconds, as a JavaScript Date holds them: the work list's keyset cursor carries created_at exactly
      created_at      timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
      updated_at      timestamptz NOT NULL DEFAULT now(),
      decided_at      timestamptz,
      PRIMARY KEY (province_code, id),
      CHECK ((status = 'pending') = (step_level IS NOT NULL AND step_permission IS NOT NULL)),
      CHECK (current_step >= 0 AND current_step < jsonb_array_length(steps))
    );
    CREATE INDEX approval_id_idx ON approval (id);
    -- one open approval per subject at a time
    CREATE UNIQUE INDEX approval_open_subject_uq ON approval (province_code, subject_kind, subject_id) WHERE status IN ('pending', 'returned');
    CREATE INDEX approval_subject_idx ON approval (subject_kind, subject_id, created_at);
    CREATE INDEX approval_worklist_idx ON approval (step_level, region_code text_pattern_ops, created_at, id) WHERE status = 'pending';
    CREATE INDEX approval_maker_idx ON approval (maker_id, created_at);

    CREATE TABLE approval_action (
      province_code text COLLATE "C" NOT NULL,
      approval_id   uuid NOT NULL,
      -- the approval's version this action produced: 1 for the submission, then 2, 3, …
      seq           integer NOT NULL,
      round         integer NOT NULL,
      step          integer NOT NULL,
      actor_id      uuid NOT NULL REFERENCES app_user (id),
      actor_name    text NOT NULL,
      decision      text NOT NULL CHECK (decision IN ('submit', 'approve', 'return', 'reject', 'resubmit', 'withdraw')),
      opinion       text,
      at            timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (province_code, approval_id, seq),
      FOREIGN KEY (province_code, approval_id) REFERENCES approval (province_code, id),
      -- domain.md §5: rejection needs a reason; a return says what to correct
      CHECK (decision NOT IN ('return', 'reject') OR length(btrim(coalesce(opinion, ''))) > 0)
    );
    CREATE INDEX approval_action_actor_idx ON approval_action (actor_id, at);

    -- The history is what happened: never changed, never removed (the audit log holds the same facts, chained).
    CREATE FUNCTION approval_action_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'approval_action is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$;
    CREATE TRIGGER approval_action_no_update BEFORE UPDATE OR DELETE ON approval_action
      FOR EACH ROW EXECUTE FUNCTION approval_action_append_only();
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE approval_action; DROP FUNCTION approval_action_append_only();
    DROP TABLE approval; DROP TABLE approval_policy;
  `.execute(db)
}
