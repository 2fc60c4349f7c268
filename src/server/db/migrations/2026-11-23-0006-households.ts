import { type Kysely, sql } from 'kysely'

// Household files (建档立卡, domain.md §3): the household, its members, the per-county file-number
// counter, and the nationwide register of people on file. household and household_member grow
// with the nation: they carry province_code and their keys begin with it (domain.md §12).
// person_registry is keyed by the person, not by province, because its one rule — a person
// belongs to at most one active household anywhere — crosses provinces: its primary key is
// what decides between two filings of the same person made at the same moment.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE household (
      province_code text COLLATE "C" NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
      id            uuid NOT NULL DEFAULT gen_random_uuid(),
      -- county code, year of filing, number within the county and year: 410102-2026-000123
      file_no       text COLLATE "C" NOT NULL CHECK (file_no ~ '^[0-9]{6}-[0-9]{4}-[0-9]{6}$'),
      region_code   text COLLATE "C" NOT NULL REFERENCES region (code),
      org_id        uuid NOT NULL REFERENCES org (id),
      address       text NOT NULL CHECK (length(btrim(address)) > 0),
      -- the lifecycle (draft → submitted → verified → exited / removed) is added later; the column stays general
      status        text NOT NULL DEFAULT 'draft' CHECK (status ~ '^[a-z][a-z_]*$'),
      -- re-entry after an exit is a new episode of the same file
      episode       integer NOT NULL DEFAULT 1 CHECK (episode >= 1),
      created_by    uuid REFERENCES app_user (id),
      created_at    timestamptz NOT NULL DEFAULT now(),
      updated_at    timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (province_code, id),
      UNIQUE (province_code, file_no),
      CHECK (left(region_code, 2) = province_code)
    );
    CREATE INDEX household_id_idx ON household (id);
    CREATE INDEX household_region_idx ON household (region_code text_pattern_ops, created_at);

    -- The last file number given per county and year; the row lock serialises numbering within a county only.
    CREATE TABLE household_file_counter (
      province_code text COLLATE "C" NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
      region_code   text COLLATE "C" NOT NULL REFERENCES region (code),
      year          integer NOT NULL CHECK (year BETWEEN 2000 AND 9999),
      last_no       integer NOT NULL CHECK (last_no BETWEEN 1 AND 999999),
      PRIMARY KEY (province_code, region_code, year)
    );

    CREATE TABLE household_member (
      province_code      text COLLATE "C" NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
      id                 uuid NOT NULL DEFAULT gen_random_uuid(),
      household_id       uuid NOT NULL,
      name               text NOT NULL CHECK (length(btrim(name)) > 0),
      relation           text NOT NULL CHECK (relation IN ('head', 'spouse', 'child', 'parent', 'other')),
      -- AES-256-GCM (pii-crypto.ts) and the keyed blind index of the normalised 18-character number
      id_number_sealed   text NOT NULL CHECK (id_number_sealed LIKE 'v1:%'),
      id_number_index    text NOT NULL,
      -- derived from the ID number (GB 11643), never typed
      birth_date         date NOT NULL,
      sex                text NOT NULL CHECK (sex IN ('male', 'female')),
      phone_sealed       text CHECK (phone_sealed LIKE 'v1:%'),
      phone_index        text,
      health             text NOT NULL,
      work_status        text NOT NULL,
      monthly_income_fen bigint NOT NULL CHECK (monthly_income_fen >= 0),
      created_at         timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (province_code, id),
      FOREIGN KEY (province_code, household_id) REFERENCES household (province_code, id),
      UNIQUE (province_code, household_id, id_number_index),
      CHECK ((phone_sealed IS NULL) = (phone_index IS NULL))
    );
    CREATE INDEX household_member_household_idx ON household_member (province_code, household_id);
    CREATE INDEX household_member_phone_idx ON household_member (phone_index) WHERE phone_index IS NOT NULL;

    -- One person, one active household, nationwide (domain.md §3). Deliberately not partitioned by province.
    CREATE TABLE person_registry (
      id_number_index text PRIMARY KEY,
      household_id    uuid NOT NULL,
      province_code   text COLLATE "C" NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
      region_code     text COLLATE "C" NOT NULL REFERENCES region (code),
      org_id          uuid NOT NULL REFERENCES org (id),
      FOREIGN KEY (province_code, household_id) REFERENCES household (province_code, id)
    );
    CREATE INDEX person_registry_household_idx ON person_registry (province_code, household_id);
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE person_registry; DROP TABLE household_member;
    DROP TABLE household_file_counter; DROP TABLE household;
  `.execute(db)
}
