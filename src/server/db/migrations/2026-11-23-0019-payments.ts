import { type Kysely, sql } from 'kysely'

// Payment cycles (issue 5 §3; domain.md §6): a cycle pays one programme for one period from one
// organisation's fund. Its lines are generated from the households on file in the organisation's
// region (programmes paid in cycles) or from payable entitlements (programmes paid on application),
// and snapshot what they pay: amount, payee, sealed bank account, the basis of the amount.
//
// Nobody is paid twice: one line per programme, period and household (or entitlement) across all
// cycles, by unique indexes that leave failed lines out (a failed payment may be paid again in a
// later cycle as a carried line for the same period).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE payment_cycle (
      province_code  text COLLATE "C" NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
      id             uuid NOT NULL DEFAULT gen_random_uuid(),
      org_id         uuid NOT NULL REFERENCES org (id),
      region_code    text COLLATE "C" NOT NULL,
      programme_id   uuid NOT NULL REFERENCES programme (id),
      programme_code text COLLATE "C" NOT NULL,
      fund_type      text NOT NULL,
      period         text COLLATE "C" NOT NULL CHECK (length(period) BETWEEN 4 AND 20),
      basis          text NOT NULL CHECK (basis IN ('households', 'entitlements')),
      status         text NOT NULL DEFAULT 'draft'
                       CHECK (status IN ('draft', 'generating', 'submitted', 'approved', 'exported', 'paid', 'partly_failed', 'closed', 'cancelled')),
      line_count     integer NOT NULL DEFAULT 0,
      total_fen      bigint NOT NULL DEFAULT 0 CHECK (total_fen >= 0),
      paid_count     integer NOT NULL DEFAULT 0,
      paid_fen       bigint NOT NULL DEFAULT 0,
      failed_count   integer NOT NULL DEFAULT 0,
      failed_fen     bigint NOT NULL DEFAULT 0,
      job_id         uuid,
      approval_id    uuid,
      reserve_entry_id uuid,
      created_by     uuid REFERENCES app_user (id),
      created_at     timestamptz NOT NULL DEFAULT now(),
      updated_at     timestamptz NOT NULL DEFAULT now(),
      version        integer NOT NULL DEFAULT 1,
      PRIMARY KEY (province_code, id)
    );
    -- one live cycle per programme, period and organisation (a cancelled one may be made again)
    CREATE UNIQUE INDEX payment_cycle_once_uq ON payment_cycle (province_code, org_id, programme_id, period) WHERE status <> 'cancelled';
    CREATE INDEX payment_cycle_region_idx ON payment_cycle (region_code text_pattern_ops, created_at DESC);

    CREATE TABLE payment_line (
      province_code       text COLLATE "C" NOT NULL,
      cycle_id            uuid NOT NULL,
      line_no             integer NOT NULL CHECK (line_no > 0),
      household_id        uuid NOT NULL,
      programme_id        uuid NOT NULL,
      for_period          text COLLATE "C" NOT NULL,
      entitlement_id      uuid,
      carried_from_cycle  uuid,
      region_code         text COLLATE "C" NOT NULL,
      file_no             text NOT NULL,
      payee_name          text NOT NULL,
      bank_name           text,
      bank_account_sealed text,
      bank_account_index  text,
      amount_fen          bigint NOT NULL CHECK (amount_fen > 0),
      basis               jsonb NOT NULL,
      status              text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'failed')),
      fail_reason         text,
      bank_serial         text,
      settled_at          timestamptz,
      PRIMARY KEY (province_code, cycle_id, line_no),
      FOREIGN KEY (province_code, cycle_id) REFERENCES payment_cycle (province_code, id)
    );
    CREATE UNIQUE INDEX payment_line_once_uq ON payment_line (province_code, programme_id, for_period, household_id) WHERE status <> 'failed';
    CREATE UNIQUE INDEX payment_line_entitlement_uq ON payment_line (province_code, entitlement_id) WHERE entitlement_id IS NOT NULL AND status <> 'failed';
    CREATE INDEX payment_line_household_idx ON payment_line (province_code, household_id);
    CREATE INDEX payment_line_failed_idx ON payment_line (province_code, programme_id) WHERE status = 'failed';
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE payment_line; DROP TABLE payment_cycle;`.execute(db)
}
