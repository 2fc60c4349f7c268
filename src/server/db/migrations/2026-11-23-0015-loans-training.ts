import { type Kysely, sql } from 'kysely'

// Entrepreneurship loans (创业担保贷款) with their repayments, and training / placement records
// (技能培训, 阳光就业) of a household's members (issue 4 §5, domain.md §5). Partitioned by province
// like the other household tables; the programme is a free code until the catalogue links it.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE household_loan (
      province_code  text COLLATE "C" NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
      id             uuid NOT NULL DEFAULT gen_random_uuid(),
      household_id   uuid NOT NULL,
      member_id      uuid,
      programme_code text COLLATE "C",
      lender         text NOT NULL CHECK (length(btrim(lender)) > 0),
      principal_fen  bigint NOT NULL CHECK (principal_fen > 0),
      annual_rate_bp integer NOT NULL CHECK (annual_rate_bp BETWEEN 0 AND 10000),
      subsidy_bp     integer NOT NULL CHECK (subsidy_bp BETWEEN 0 AND 10000),
      term_months    integer NOT NULL CHECK (term_months BETWEEN 1 AND 360),
      start_month    text COLLATE "C" NOT NULL CHECK (start_month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      method         text NOT NULL CHECK (method IN ('equal_principal', 'bullet')),
      purpose        text NOT NULL CHECK (length(btrim(purpose)) > 0),
      status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'repaid', 'written_off')),
      created_by     uuid REFERENCES app_user (id),
      created_at     timestamptz NOT NULL DEFAULT now(),
      updated_at     timestamptz NOT NULL DEFAULT now(),
      version        integer NOT NULL DEFAULT 1,
      PRIMARY KEY (province_code, id),
      FOREIGN KEY (province_code, household_id) REFERENCES household (province_code, id),
      FOREIGN KEY (province_code, member_id) REFERENCES household_member (province_code, id)
    );
    CREATE INDEX household_loan_household_idx ON household_loan (province_code, household_id);

    -- Append-only: a mistaken repayment is corrected by a later entry, never edited.
    CREATE TABLE loan_repayment (
      province_code text COLLATE "C" NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
      loan_id       uuid NOT NULL,
      seq           integer NOT NULL CHECK (seq > 0),
      paid_on       date NOT NULL,
      amount_fen    bigint NOT NULL CHECK (amount_fen > 0),
      note          text,
      created_by    uuid REFERENCES app_user (id),
      created_at    timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (province_code, loan_id, seq),
      FOREIGN KEY (province_code, loan_id) REFERENCES household_loan (province_code, id)
    );

    CREATE TABLE household_training (
      province_code       text COLLATE "C" NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
      id                  uuid NOT NULL DEFAULT gen_random_uuid(),
      household_id        uuid NOT NULL,
      member_id           uuid NOT NULL,
      programme_code      text COLLATE "C",
      measure_id          uuid,
      course              text NOT NULL CHECK (length(btrim(course)) > 0),
      provider            text NOT NULL CHECK (length(btrim(provider)) > 0),
      enrolled_on         date NOT NULL,
      completed_on        date,
      certificate         text,
      placed_on           date,
      employer            text,
      employer_credit_code text COLLATE "C" CHECK (employer_credit_code ~ '^[0-9A-Z]{18}$'),
      status              text NOT NULL DEFAULT 'enrolled' CHECK (status IN ('enrolled', 'completed', 'dropped', 'placed')),
      created_by          uuid REFERENCES app_user (id),
      created_at          timestamptz NOT NULL DEFAULT now(),
      updated_at          timestamptz NOT NULL DEFAULT now(),
      version             integer NOT NULL DEFAULT 1,
      PRIMARY KEY (province_code, id),
      FOREIGN KEY (province_code, household_id) REFERENCES household (province_code, id),
      FOREIGN KEY (province_code, member_id) REFERENCES household_member (province_code, id),
      FOREIGN KEY (province_code, measure_id) REFERENCES household_measure (province_code, id),
      CHECK (completed_on IS NULL OR completed_on >= enrolled_on),
      CHECK (status <> 'completed' OR completed_on IS NOT NULL),
      CHECK (status <> 'placed' OR (placed_on IS NOT NULL AND employer IS NOT NULL))
    );
    CREATE INDEX household_training_household_idx ON household_training (province_code, household_id);
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE household_training; DROP TABLE loan_repayment; DROP TABLE household_loan;`.execute(db)
}
