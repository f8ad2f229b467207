-- Organisations (clinics, hospitals) and their sites.
CREATE TABLE organisations (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE sites (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    name            TEXT    NOT NULL CHECK (length(trim(name)) > 0),
    created_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (organisation_id, name)
);

-- People who sign in. Clinic roles belong to exactly one organisation; registry
-- administrators and patients to none.
CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    email                TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    display_name         TEXT    NOT NULL,
    role                 TEXT    NOT NULL CHECK (role IN ('clinic_user', 'clinic_manager', 'registry_admin', 'patient')),
    organisation_id      INTEGER REFERENCES organisations (id),
    password_hash        TEXT,
    password_changed_at  TEXT,
    -- TOTP secret, encrypted with the server's account key (AES-256-GCM: nonce || ciphertext).
    totp_secret          BLOB,
    -- A secret being set up, active only once a code from it is confirmed.
    totp_pending_secret  BLOB,
    totp_last_step       INTEGER,
    mfa_enrolled_at      TEXT,
    failed_attempts      INTEGER NOT NULL DEFAULT 0,
    locked_until         TEXT,
    disabled_at          TEXT,
    created_at           TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK ((role IN ('clinic_user', 'clinic_manager')) = (organisation_id IS NOT NULL))
);
CREATE INDEX users_by_organisation ON users (organisation_id);

CREATE TABLE recovery_codes (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  TEXT    NOT NULL,
    used_at    TEXT
);
CREATE INDEX recovery_codes_by_user ON recovery_codes (user_id);

-- Sessions: only the SHA-256 of the token is stored, so a copy of the database cannot be
-- used to sign in.
CREATE TABLE sessions (
    token_hash      TEXT    PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- 'password' until the second factor is verified (or enrolled), then 'full'.
    stage           TEXT    NOT NULL CHECK (stage IN ('password', 'enrolment', 'full')),
    created_at      TEXT    NOT NULL,
    last_seen_at    TEXT    NOT NULL,
    expires_at      TEXT    NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Single-use links: invitations (set a first password) and password resets.
CREATE TABLE account_tokens (
    token_hash  TEXT    PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose     TEXT    NOT NULL CHECK (purpose IN ('invitation', 'password_reset')),
    created_at  TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL,
    used_at     TEXT
);
CREATE INDEX account_tokens_by_user ON account_tokens (user_id);

-- The audit trail: append-only, each entry hash-chained to the one before.
CREATE TABLE audit_log (
    id                     INTEGER PRIMARY KEY,
    at                     TEXT    NOT NULL,
    actor_user_id          INTEGER,
    actor_role             TEXT,
    actor_organisation_id  INTEGER,
    action                 TEXT    NOT NULL,
    target_type            TEXT,
    target_id              TEXT,
    patient_pseudonym      TEXT,
    details                TEXT    NOT NULL DEFAULT '{}',
    client_ip              TEXT,
    previous_hash          TEXT    NOT NULL,
    hash                   TEXT    NOT NULL UNIQUE
);
CREATE INDEX audit_by_action ON audit_log (action);
CREATE INDEX audit_by_actor ON audit_log (actor_user_id);
CREATE INDEX audit_by_patient ON audit_log (patient_pseudonym);

CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
