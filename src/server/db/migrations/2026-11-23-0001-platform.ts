import { type Kysely, sql } from 'kysely'

// Platform foundation: regions, organisations, roles, users, sessions and the audit chain.
// Never edit a migration after it has landed; add a new one.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE region (
      code          text COLLATE "C" PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
      name          text NOT NULL,
      level         text NOT NULL CHECK (level IN ('province', 'city', 'county')),
      parent_code   text COLLATE "C" REFERENCES region (code),
      province_code text COLLATE "C" NOT NULL CHECK (province_code ~ '^[0-9]{2}$')
    );
    CREATE INDEX region_parent_idx ON region (parent_code);
    CREATE INDEX region_name_idx ON region (name);

    CREATE TABLE org (
      id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      parent_id     uuid REFERENCES org (id),
      name          text NOT NULL CHECK (length(btrim(name)) > 0),
      type          text NOT NULL,
      level         text NOT NULL CHECK (level IN ('national', 'province', 'city', 'county', 'grassroots')),
      -- NULL only for national bodies; everything else sits in a GB/T 2260 region.
      region_code   text COLLATE "C" REFERENCES region (code),
      -- '00' for national bodies: kept on every growing table so it can be partitioned by province.
      province_code text COLLATE "C" NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
      industry      text,
      active        boolean NOT NULL DEFAULT true,
      created_at    timestamptz NOT NULL DEFAULT now(),
      updated_at    timestamptz NOT NULL DEFAULT now(),
      CHECK ((level = 'national') = (region_code IS NULL))
    );
    CREATE INDEX org_parent_idx ON org (parent_id, name);
    CREATE INDEX org_region_idx ON org (region_code text_pattern_ops);
    CREATE UNIQUE INDEX org_sibling_name_uq ON org (coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), name);

    CREATE TABLE role (
      code        text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
      name_zh     text NOT NULL,
      name_en     text NOT NULL,
      permissions text[] NOT NULL DEFAULT '{}',
      built_in    boolean NOT NULL DEFAULT false
    );

    CREATE TABLE app_user (
      id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      username            text NOT NULL CHECK (username ~ '^[A-Za-z0-9_.-]{3,64}$'),
      display_name        text NOT NULL,
      password_hash       text NOT NULL,
      org_id              uuid NOT NULL REFERENCES org (id),
      locale              text NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN', 'en')),
      active              boolean NOT NULL DEFAULT true,
      failed_logins       integer NOT NULL DEFAULT 0,
      locked_until        timestamptz,
      last_login_at       timestamptz,
      password_changed_at timestamptz NOT NULL DEFAULT now(),
      created_at          timestamptz NOT NULL DEFAULT now(),
      updated_at          timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX app_user_username_uq ON app_user (lower(username));
    CREATE INDEX app_user_org_idx ON app_user (org_id);

    CREATE TABLE user_role (
      user_id   uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
      role_code text NOT NULL REFERENCES role (code),
      PRIMARY KEY (user_id, role_code)
    );

    CREATE TABLE session (
      token_hash  text PRIMARY KEY,
      user_id     uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
      csrf_token  text NOT NULL,
      created_at  timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      expires_at  timestamptz NOT NULL,
      ip          text,
      user_agent  text
    );
    CREATE INDEX session_user_idx ON session (user_id);
    CREATE INDEX session_expires_idx ON session (expires_at);

    -- One hash chain per province: writes in different provinces never wait on each other,
    -- and the table can be partitioned (and distributed) by province_code.
    CREATE TABLE audit_head (
      province_code text COLLATE "C" PRIMARY KEY,
      last_seq      bigint NOT NULL,
      last_hash     text NOT NULL
    );
    CREATE TABLE audit_log (
      province_code text COLLATE "C" NOT NULL,
      seq           bigint NOT NULL,
      at            timestamptz NOT NULL,
      actor_id      uuid,
      actor_name    text NOT NULL,
      action        text NOT NULL,
      entity_type   text NOT NULL,
      entity_id     text NOT NULL,
      region_code   text COLLATE "C",
      before        jsonb,
      after         jsonb,
      request_id    text,
      prev_hash     text NOT NULL,
      hash          text NOT NULL,
      PRIMARY KEY (province_code, seq)
    );
    CREATE INDEX audit_log_at_idx ON audit_log (at);
    CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id);
    CREATE INDEX audit_log_region_idx ON audit_log (region_code text_pattern_ops);

    -- Append-only: the application can never change or remove an entry. Anyone who can
    -- disable the trigger can still edit a row; the hash chain is what reveals that.
    CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$;
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE audit_log; DROP TABLE audit_head; DROP FUNCTION audit_log_append_only();
    DROP TABLE session; DROP TABLE user_role; DROP TABLE app_user; DROP TABLE role;
    DROP TABLE org; DROP TABLE region;
  `.execute(db)
}
