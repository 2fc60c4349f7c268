import { type Kysely, sql } from 'kysely'

// The programme catalogue (issue 4 §1; domain.md §5): what a household may apply for, on what
// rule, for how much, how often, capped how, approved and posted how, and on what policy basis.
// Eligibility and formula are typed JSON documents (src/server/modules/programmes/rules.ts),
// checked by the service before they are stored. Money in whole fen.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE programme (
      id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code          text COLLATE "C" NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9_]{1,47}$'),
      name_zh       text NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 100),
      name_en       text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 100),
      kind          text NOT NULL CHECK (kind IN ('living_subsidy', 'festival_relief', 'education_aid', 'medical_aid',
                      'temporary_aid', 'entrepreneurship', 'skills_training', 'graduate_employment')),
      -- the fund type that pays it (funds module, issue 5)
      fund_type     text NOT NULL,
      eligibility   jsonb NOT NULL,
      formula       jsonb NOT NULL,
      frequency     text NOT NULL CHECK (frequency IN ('monthly', 'quarterly', 'yearly', 'academic_year', 'one_off')),
      cap_per_household_year_fen bigint CHECK (cap_per_household_year_fen > 0),
      approval_kind text NOT NULL DEFAULT 'programme.application',
      posting_required boolean NOT NULL DEFAULT true,
      posting_days  integer NOT NULL DEFAULT 7 CHECK (posting_days BETWEEN 1 AND 60),
      -- document number and clause
      policy_basis  text NOT NULL DEFAULT '',
      -- the regions it applies to: '' national, '41' a province, '4101' a city, '410102' a county
      region_prefix text COLLATE "C" NOT NULL DEFAULT '' CHECK (region_prefix ~ '^([0-9]{2}|[0-9]{4}|[0-9]{6})?$'),
      active        boolean NOT NULL DEFAULT true,
      version       integer NOT NULL DEFAULT 1,
      created_by    uuid REFERENCES app_user (id),
      created_at    timestamptz NOT NULL DEFAULT now(),
      updated_at    timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX programme_region_prefix ON programme (region_prefix text_pattern_ops);
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE programme`.execute(db)
}
