import { type Kysely, sql } from 'kysely'

// Hardship funds and the double-entry ledger (issue 5 §1, §2; domain.md §6).
//
// Accounts: each organisation has, per fund type, an 'available' account (money it may spend or
// allocate), a 'reserved' account (money set aside for approved payment cycles), a 'paid' account
// (money paid out to beneficiaries) and one 'receipts' account per source of funds (central finance,
// donations …). Amounts are signed fen: an entry's lines sum to zero; a receipt of 100 yuan is
// available +10000, receipts:donation −10000. The balance kept on the account is the sum of its lines,
// updated under the account's row lock in the posting transaction, and may never go below zero on
// available and reserved (a CHECK, so concurrent payments cannot overdraw); `verifyLedger` proves it
// against the lines. Entries and lines are append-only (a correction is a reversal entry).
//
// Keys begin with the province code. An entry and its lines live in the province of the entry; a
// line names its account with the account's own province (an allocation from a national body to a
// province crosses provinces). The sum-to-zero rule is a deferred constraint trigger, so it holds
// whatever code writes the lines.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE ledger_account (
      province_code text COLLATE "C" NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
      id            uuid NOT NULL DEFAULT gen_random_uuid(),
      org_id        uuid NOT NULL REFERENCES org (id),
      region_code   text COLLATE "C",
      fund_type     text NOT NULL CHECK (fund_type ~ '^[a-z][a-z_]{1,40}$'),
      kind          text NOT NULL CHECK (kind IN ('available', 'reserved', 'paid', 'receipts')),
      source        text NOT NULL DEFAULT '' CHECK ((kind = 'receipts') = (source <> '')),
      balance_fen   bigint NOT NULL DEFAULT 0,
      created_at    timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (province_code, id),
      UNIQUE (province_code, org_id, fund_type, kind, source),
      CONSTRAINT ledger_account_not_negative CHECK (kind NOT IN ('available', 'reserved', 'paid') OR balance_fen >= 0)
    );
    CREATE INDEX ledger_account_region_idx ON ledger_account (region_code text_pattern_ops);

    CREATE TABLE ledger_entry (
      province_code text COLLATE "C" NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
      id            uuid NOT NULL DEFAULT gen_random_uuid(),
      kind          text NOT NULL CHECK (kind IN ('receipt', 'allocation', 'reserve', 'release', 'payment', 'return', 'reversal')),
      org_id        uuid NOT NULL REFERENCES org (id),
      fund_type     text NOT NULL,
      amount_fen    bigint NOT NULL CHECK (amount_fen > 0),
      occurred_on   date NOT NULL,
      memo          text,
      reference     text,
      ref_kind      text,
      ref_id        uuid,
      reverses_id   uuid,
      created_by    uuid REFERENCES app_user (id),
      created_by_name text NOT NULL,
      created_at    timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (province_code, id)
    );
    -- An entry is reversed at most once.
    CREATE UNIQUE INDEX ledger_entry_reverses_uq ON ledger_entry (province_code, reverses_id) WHERE reverses_id IS NOT NULL;
    CREATE INDEX ledger_entry_ref_idx ON ledger_entry (ref_kind, ref_id) WHERE ref_id IS NOT NULL;
    CREATE INDEX ledger_entry_org_idx ON ledger_entry (org_id, created_at DESC, id DESC);

    CREATE TABLE ledger_line (
      province_code         text COLLATE "C" NOT NULL,
      entry_id              uuid NOT NULL,
      seq                   smallint NOT NULL CHECK (seq > 0),
      account_province_code text COLLATE "C" NOT NULL,
      account_id            uuid NOT NULL,
      amount_fen            bigint NOT NULL CHECK (amount_fen <> 0),
      created_at            timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (province_code, entry_id, seq),
      FOREIGN KEY (province_code, entry_id) REFERENCES ledger_entry (province_code, id),
      FOREIGN KEY (account_province_code, account_id) REFERENCES ledger_account (province_code, id)
    );
    CREATE INDEX ledger_line_account_idx ON ledger_line (account_province_code, account_id, created_at, entry_id);

    CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% is append-only (% refused): post a reversal instead', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$;
    CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE OR DELETE ON ledger_entry FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
    CREATE TRIGGER ledger_entry_no_truncate BEFORE TRUNCATE ON ledger_entry FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
    CREATE TRIGGER ledger_line_no_update BEFORE UPDATE OR DELETE ON ledger_line FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
    CREATE TRIGGER ledger_line_no_truncate BEFORE TRUNCATE ON ledger_line FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();

    -- Checked at commit, once per entry: its lines sum to zero and there are at least two.
    CREATE FUNCTION ledger_entry_balances() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE total numeric; n integer;
    BEGIN
      SELECT coalesce(sum(amount_fen), 0), count(*) INTO total, n FROM ledger_line
        WHERE province_code = NEW.province_code AND entry_id = NEW.entry_id;
      IF total <> 0 OR n < 2 THEN
        RAISE EXCEPTION 'ledger entry % does not balance (% lines, sum % fen)', NEW.entry_id, n, total USING ERRCODE = 'check_violation';
      END IF;
      RETURN NULL;
    END $$;
    CREATE CONSTRAINT TRIGGER ledger_line_balances AFTER INSERT ON ledger_line
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_entry_balances();
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE ledger_line;
    DROP TABLE ledger_entry;
    DROP TABLE ledger_account;
    DROP FUNCTION ledger_entry_balances();
    DROP FUNCTION ledger_append_only();
  `.execute(db)
}
