import { type Kysely, sql } from 'kysely'

// The whole household file (domain.md §3, §4; issue 3): the facts case workers' forms carry, the
// computed classification with its reason, the lifecycle, the local standards it is judged by,
// and the file's history, plan (measures), visits and attachments. Every table that grows with
// the number of households carries province_code and begins its key with it (domain.md §12).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE household
      -- shown in lists without reading members; kept equal to the head member's name
      ADD COLUMN head_name text NOT NULL DEFAULT '',
      ADD COLUMN hukou_type text CHECK (hukou_type IN ('urban', 'rural')),
      ADD COLUMN housing_type text CHECK (housing_type IN ('owned', 'rented', 'public_rental', 'with_relatives', 'other')),
      -- square metres, one decimal
      ADD COLUMN housing_area numeric(7, 1) CHECK (housing_area > 0),
      ADD COLUMN employer_credit_code text COLLATE "C" CHECK (employer_credit_code ~ '^[0-9A-HJ-NP-RT-UW-Y]{18}$'),
      ADD COLUMN employer_name text,
      ADD COLUMN in_dibao boolean NOT NULL DEFAULT false,
      ADD COLUMN migrant_worker boolean NOT NULL DEFAULT false,
      -- target group 5: how the worker was laid off or fell into hardship
      ADD COLUMN restructuring text CHECK (restructuring IN ('capacity_reduction', 'merger', 'bankruptcy', 'institution_reform')),
      ADD COLUMN social_insurance text CHECK (social_insurance IN ('full', 'partial', 'none')),
      -- the year's figures the hardship type is computed from (domain.md §4)
      ADD COLUMN yearly_income_fen bigint NOT NULL DEFAULT 0 CHECK (yearly_income_fen >= 0),
      ADD COLUMN yearly_rigid_spending_fen bigint NOT NULL DEFAULT 0 CHECK (yearly_rigid_spending_fen >= 0),
      ADD COLUMN yearly_hardship_spending_fen bigint NOT NULL DEFAULT 0 CHECK (yearly_hardship_spending_fen >= 0),
      -- causes: one primary, up to three secondary; the scheme says which code list they come from
      ADD COLUMN primary_cause text,
      ADD COLUMN secondary_causes text[] NOT NULL DEFAULT '{}' CHECK (cardinality(secondary_causes) <= 3),
      ADD COLUMN cause_scheme text NOT NULL DEFAULT 'gb2026',
      -- computed classification, stored with its reason (rule and figures)
      ADD COLUMN hardship_type text,
      ADD COLUMN type_scheme text NOT NULL DEFAULT 'gb2026',
      ADD COLUMN per_capita_monthly_fen bigint,
      ADD COLUMN target_groups smallint[] NOT NULL DEFAULT '{}',
      ADD COLUMN batches text[] NOT NULL DEFAULT '{}',
      ADD COLUMN classification jsonb,
      ADD COLUMN standard_id uuid,
      ADD COLUMN classified_at timestamptz,
      ADD COLUMN zero_employment boolean NOT NULL DEFAULT false,
      -- the account assistance is paid into; the number is sealed like an ID number
      ADD COLUMN bank_name text,
      ADD COLUMN bank_account_sealed text CHECK (bank_account_sealed LIKE 'v1:%'),
      ADD COLUMN bank_account_index text,
      -- pairing (一帮一)
      ADD COLUMN helper_org_id uuid REFERENCES org (id),
      ADD COLUMN helper_person text,
      ADD COLUMN paired_on date,
      ADD COLUMN last_visit_on date,
      -- lifecycle
      ADD COLUMN submitted_at timestamptz,
      ADD COLUMN verified_at timestamptz,
      ADD COLUMN ended_at timestamptz,
      ADD COLUMN end_reason text,
      ADD COLUMN end_note text,
      -- optimistic concurrency: a write names the version it saw
      ADD COLUMN version integer NOT NULL DEFAULT 1,
      ADD CHECK (status IN ('draft', 'submitted', 'verified', 'reverifying', 'exited', 'removed')),
      ADD CHECK ((bank_account_sealed IS NULL) = (bank_account_index IS NULL));

    ALTER TABLE household_member
      ADD COLUMN marital_status text CHECK (marital_status IN ('single', 'married', 'divorced', 'widowed')),
      ADD COLUMN school_stage text CHECK (school_stage IN ('preschool', 'primary', 'junior', 'senior', 'vocational', 'college', 'postgraduate')),
      ADD COLUMN medical_insurance text CHECK (medical_insurance IN ('employee', 'resident', 'none')),
      ADD COLUMN model_worker text CHECK (model_worker IN ('national', 'provincial', 'city', 'industry'));

    -- Local standards (domain.md §4): per region (any level; the most specific applies), by effective date.
    CREATE TABLE local_standard (
      id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      region_code          text COLLATE "C" NOT NULL REFERENCES region (code),
      effective_from       date NOT NULL,
      -- monthly, per capita
      dibao_line_fen       bigint NOT NULL CHECK (dibao_line_fen > 0),
      -- monthly
      min_wage_fen         bigint NOT NULL CHECK (min_wage_fen > 0),
      -- multiples of the 低保 line, in basis points: deep hardship below 1 ×, relative below 2 ×
      deep_multiple_bp     integer NOT NULL DEFAULT 10000 CHECK (deep_multiple_bp > 0),
      relative_multiple_bp integer NOT NULL DEFAULT 20000 CHECK (relative_multiple_bp > 0),
      -- accident-caused when the year's hardship spending exceeds this share of household income
      accident_ratio_bp    integer NOT NULL DEFAULT 8000 CHECK (accident_ratio_bp > 0),
      laid_off_allowance_fen bigint CHECK (laid_off_allowance_fen > 0),
      note                 text,
      created_by           uuid REFERENCES app_user (id),
      created_at           timestamptz NOT NULL DEFAULT now(),
      UNIQUE (region_code, effective_from),
      CHECK (relative_multiple_bp >= deep_multiple_bp)
    );

    -- The file's history: who, when, before, after (domain.md §3). Never edited.
    CREATE TABLE household_event (
      province_code text COLLATE "C" NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
      id            uuid NOT NULL DEFAULT gen_random_uuid(),
      household_id  uuid NOT NULL,
      episode       integer NOT NULL,
      action        text NOT NULL,
      actor_id      uuid REFERENCES app_user (id),
      actor_name    text NOT NULL,
      before        jsonb,
      after         jsonb,
      note          text,
      at            timestamptz NOT NULL DEFAULT clock_timestamp(),
      PRIMARY KEY (province_code, id),
      FOREIGN KEY (province_code, household_id) REFERENCES household (province_code, id)
    );
    CREATE INDEX household_event_household_idx ON household_event (province_code, household_id, at);

    -- One plan, one set of measures (一户一计划、一户一措施): each measure is of one of the four batches.
    CREATE TABLE household_measure (
      province_code text COLLATE "C" NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
      id            uuid NOT NULL DEFAULT gen_random_uuid(),
      household_id  uuid NOT NULL,
      episode       integer NOT NULL,
      batch         text NOT NULL CHECK (batch IN ('employment', 'social_insurance', 'medical', 'assistance')),
      target        text NOT NULL CHECK (length(btrim(target)) > 0),
      responsible   text NOT NULL CHECK (length(btrim(responsible)) > 0),
      due_on        date NOT NULL,
      status        text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'done', 'cancelled')),
      outcome       text,
      created_by    uuid REFERENCES app_user (id),
      created_at    timestamptz NOT NULL DEFAULT now(),
      updated_at    timestamptz NOT NULL DEFAULT now(),
      version       integer NOT NULL DEFAULT 1,
      PRIMARY KEY (province_code, id),
      FOREIGN KEY (province_code, household_id) REFERENCES household (province_code, id)
    );
    CREATE INDEX household_measure_household_idx ON household_measure (province_code, household_id);

    -- Visits (走访).
    CREATE TABLE household_visit (
      province_code text COLLATE "C" NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
      id            uuid NOT NULL DEFAULT gen_random_uuid(),
      household_id  uuid NOT NULL,
      visited_on    date NOT NULL,
      visitor       text NOT NULL CHECK (length(btrim(visitor)) > 0),
      findings      text NOT NULL CHECK (length(btrim(findings)) > 0),
      follow_up     text,
      created_by    uuid REFERENCES app_user (id),
      created_at    timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (province_code, id),
      FOREIGN KEY (province_code, household_id) REFERENCES household (province_code, id)
    );
    CREATE INDEX household_visit_household_idx ON household_visit (province_code, household_id, visited_on);

    -- Scans of evidence; the bytes live under DATA_DIR/attachments, named by storage_key.
    CREATE TABLE household_attachment (
      province_code text COLLATE "C" NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
      id            uuid NOT NULL DEFAULT gen_random_uuid(),
      household_id  uuid NOT NULL,
      file_name     text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
      content_type  text NOT NULL,
      size_bytes    bigint NOT NULL CHECK (size_bytes > 0),
      sha256        text COLLATE "C" NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      storage_key   text COLLATE "C" NOT NULL UNIQUE,
      description   text,
      uploaded_by   uuid REFERENCES app_user (id),
      created_at    timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (province_code, id),
      FOREIGN KEY (province_code, household_id) REFERENCES household (province_code, id)
    );
    CREATE INDEX household_attachment_household_idx ON household_attachment (province_code, household_id);
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE household_attachment; DROP TABLE household_visit; DROP TABLE household_measure;
    DROP TABLE household_event; DROP TABLE local_standard;
    ALTER TABLE household_member DROP COLUMN marital_status, DROP COLUMN school_stage, DROP COLUMN medical_insurance, DROP COLUMN model_worker;
  `.execute(db)
}
