import { type Kysely, sql } from 'kysely'

// Public postings (公示; issue 4 §4; domain.md §5, §11). A posting is a batch published by one
// organisation with a start and an end; its items are approved applications, new files or exits,
// each carrying only masked personal data written at publication (the public pages read these
// columns and nothing else). Objections come from anyone during the period and send their item
// back to review. An application whose posting ends without objection becomes payable: one
// entitlement row per application, which the payment cycles of issue 5 read.
//
// Every table carries the province code first in its key, as the household tables do.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE application DROP CONSTRAINT application_status_check;
    ALTER TABLE application ADD CONSTRAINT application_status_check
      CHECK (status IN ('submitted', 'returned', 'approved', 'posted', 'objected', 'payable', 'rejected', 'withdrawn'));

    CREATE TABLE posting (
      province_code text COLLATE "C" NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
      id            uuid NOT NULL DEFAULT gen_random_uuid(),
      org_id        uuid NOT NULL REFERENCES org (id),
      region_code   text COLLATE "C" NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
      kind          text NOT NULL CHECK (kind IN ('application', 'household.entry', 'household.exit')),
      title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
      starts_on     date NOT NULL,
      ends_on       date NOT NULL,
      status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
      item_count    integer NOT NULL CHECK (item_count > 0),
      created_by    uuid REFERENCES app_user (id),
      created_at    timestamptz NOT NULL DEFAULT now(),
      closed_at     timestamptz,
      PRIMARY KEY (province_code, id),
      CHECK (ends_on >= starts_on)
    );
    CREATE INDEX posting_open_idx ON posting (ends_on) WHERE status = 'open';
    CREATE INDEX posting_region_idx ON posting (region_code, created_at DESC, id DESC);

    CREATE TABLE posting_item (
      province_code text COLLATE "C" NOT NULL,
      id            uuid NOT NULL DEFAULT gen_random_uuid(),
      posting_id    uuid NOT NULL,
      seq           integer NOT NULL,
      subject_kind  text NOT NULL,
      subject_id    uuid NOT NULL,
      household_id  uuid NOT NULL,
      episode       integer NOT NULL,
      region_code   text COLLATE "C" NOT NULL,
      masked_name   text NOT NULL,
      masked_id     text NOT NULL,
      detail_zh     text NOT NULL,
      detail_en     text NOT NULL,
      amount_fen    bigint CHECK (amount_fen >= 0),
      status        text NOT NULL DEFAULT 'posted' CHECK (status IN ('posted', 'objected', 'effective', 'upheld')),
      resolved_by   uuid REFERENCES app_user (id),
      resolved_at   timestamptz,
      resolution    text,
      PRIMARY KEY (province_code, id),
      FOREIGN KEY (province_code, posting_id) REFERENCES posting (province_code, id),
      UNIQUE (province_code, posting_id, seq)
    );
    -- One posting per subject (per episode of a file): publishing twice is refused by the database.
    CREATE UNIQUE INDEX posting_item_subject_uq ON posting_item (province_code, subject_kind, subject_id, episode);
    CREATE INDEX posting_item_objected_idx ON posting_item (province_code, region_code) WHERE status = 'objected';

    CREATE TABLE posting_objection (
      province_code text COLLATE "C" NOT NULL,
      id            uuid NOT NULL DEFAULT gen_random_uuid(),
      posting_id    uuid NOT NULL,
      item_id       uuid NOT NULL,
      content       text NOT NULL CHECK (length(content) BETWEEN 5 AND 500),
      source_ip     text NOT NULL,
      user_agent    text,
      created_at    timestamptz NOT NULL DEFAULT now(),
      status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dismissed', 'upheld')),
      resolved_by   uuid REFERENCES app_user (id),
      resolved_at   timestamptz,
      resolution    text,
      PRIMARY KEY (province_code, id),
      FOREIGN KEY (province_code, item_id) REFERENCES posting_item (province_code, id)
    );
    CREATE INDEX posting_objection_item_idx ON posting_objection (province_code, item_id, created_at);

    CREATE TABLE entitlement (
      province_code  text COLLATE "C" NOT NULL,
      id             uuid NOT NULL DEFAULT gen_random_uuid(),
      application_id uuid NOT NULL,
      household_id   uuid NOT NULL,
      programme_id   uuid NOT NULL REFERENCES programme (id),
      period         text COLLATE "C" NOT NULL,
      region_code    text COLLATE "C" NOT NULL,
      amount_fen     bigint NOT NULL CHECK (amount_fen > 0),
      status         text NOT NULL DEFAULT 'due' CHECK (status IN ('due', 'paid', 'cancelled')),
      created_at     timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (province_code, id),
      FOREIGN KEY (province_code, application_id) REFERENCES application (province_code, id),
      UNIQUE (province_code, application_id)
    );
    CREATE INDEX entitlement_due_idx ON entitlement (province_code, programme_id, period) WHERE status = 'due';
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE entitlement;
    DROP TABLE posting_objection;
    DROP TABLE posting_item;
    DROP TABLE posting;
    ALTER TABLE application DROP CONSTRAINT application_status_check;
    ALTER TABLE application ADD CONSTRAINT application_status_check
      CHECK (status IN ('submitted', 'returned', 'approved', 'rejected', 'withdrawn'));
  `.execute(db)
}
