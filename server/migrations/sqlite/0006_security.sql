-- Security review fixes (issue 10).

-- 1. A claim links records of one organisation. An account still belongs to one person (one
-- pseudonym), but a pseudonym may be claimed by more than one account: a claim never blocks
-- another (such claims are flagged for review instead), so the pseudonym is no longer unique.
CREATE TABLE patient_links_rebuilt (
    user_id            INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    patient_pseudonym  TEXT    NOT NULL,
    linked_at          TEXT    NOT NULL
);
INSERT INTO patient_links_rebuilt (user_id, patient_pseudonym, linked_at)
    SELECT user_id, patient_pseudonym, linked_at FROM patient_links;
DROP TABLE patient_links;
ALTER TABLE patient_links_rebuilt RENAME TO patient_links;
CREATE INDEX patient_links_by_pseudonym ON patient_links (patient_pseudonym);

-- The organisations at which an account has claimed a record with its card's code: the only
-- organisations whose records the account sees.
CREATE TABLE patient_claims (
    user_id          INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organisation_id  INTEGER NOT NULL REFERENCES organisations (id),
    procedure_id     INTEGER NOT NULL REFERENCES procedures (id),
    claimed_at       TEXT    NOT NULL,
    PRIMARY KEY (user_id, organisation_id)
);
INSERT OR IGNORE INTO patient_claims (user_id, organisation_id, procedure_id, claimed_at)
    SELECT claimed_by, organisation_id, id, claimed_at FROM procedures
    WHERE claimed_by IS NOT NULL AND claimed_at IS NOT NULL ORDER BY id;

-- Claims the registry should look at: `reasons` holds space-separated codes
-- (shared_pseudonym, recent_record, staff_address).
CREATE TABLE claim_reviews (
    id               INTEGER PRIMARY KEY,
    user_id          INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organisation_id  INTEGER NOT NULL REFERENCES organisations (id),
    procedure_id     INTEGER NOT NULL REFERENCES procedures (id),
    reasons          TEXT    NOT NULL,
    created_at       TEXT    NOT NULL,
    reviewed_at      TEXT,
    reviewed_by      INTEGER REFERENCES users (id),
    outcome          TEXT    CHECK (outcome IN ('kept', 'removed'))
);
CREATE INDEX claim_reviews_open ON claim_reviews (reviewed_at, id);

-- 5. A patient's pseudonym evaluation is granted only for a claim, against a real claim code:
-- the claim that follows must use a grant of its own account for that record.
CREATE TABLE claim_evaluations (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    procedure_id  INTEGER NOT NULL REFERENCES procedures (id),
    granted_at    TEXT    NOT NULL,
    used_at       TEXT
);
CREATE INDEX claim_evaluations_by_user ON claim_evaluations (user_id, procedure_id);

-- 2, 3, 5. Rate limits every server process shares: one counter per bucket, key and fixed
-- window (unix seconds at its start). `refused` counts refusals, so the first one is audited.
CREATE TABLE rate_counters (
    bucket        TEXT    NOT NULL,
    key           TEXT    NOT NULL,
    window_start  INTEGER NOT NULL,
    count         INTEGER NOT NULL,
    refused       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (bucket, key, window_start)
);

-- 4. Entries are chained with a keyed hash (HMAC-SHA-256) from now on; entries written before
-- keep the plain SHA-256 they were written with.
ALTER TABLE audit_log ADD COLUMN mac TEXT NOT NULL DEFAULT 'sha256'
    CHECK (mac IN ('sha256', 'hmac-sha256'));

-- 5. The keys this database was made with, by id: a missing or different key file is refused
-- at start instead of silently replaced. 11. Whether every sealed secret is bound to its row.
ALTER TABLE instance ADD COLUMN account_key_id TEXT;
ALTER TABLE instance ADD COLUMN pseudonym_key_id TEXT;
ALTER TABLE instance ADD COLUMN audit_key_id TEXT;
ALTER TABLE instance ADD COLUMN secrets_bound INTEGER NOT NULL DEFAULT 0;

-- 6. Emails are queued in the transaction that causes them and sent afterwards, with retries.
-- The body (which may hold a single-use link) is sealed, and removed once sent.
CREATE TABLE mail_outbox (
    id               INTEGER PRIMARY KEY,
    recipient        TEXT    NOT NULL,
    subject          TEXT    NOT NULL,
    body_sealed      BLOB,
    created_at       TEXT    NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT    NOT NULL,
    sent_at          TEXT,
    failed_at        TEXT,
    last_error       TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (sent_at, failed_at, next_attempt_at);

-- 8. Staff set up a first authenticator only from their invitation link. The demo seed (and
-- tests standing in for an invitation) mark accounts whose first set-up may follow a
-- password sign-in instead.
ALTER TABLE users ADD COLUMN first_enrolment_by_password INTEGER NOT NULL DEFAULT 0;

-- 4. The head of the audit chain: the last entry's id and hash. Every writer of an entry
-- updates this one row in its transaction, so the database itself puts entries in order
-- (also on engines where writers run concurrently) and no sequence outside it is needed.
CREATE TABLE audit_head (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    last_id    INTEGER NOT NULL,
    last_hash  TEXT    NOT NULL
);
INSERT INTO audit_head (id, last_id, last_hash)
    SELECT 1, COALESCE(MAX(id), 0),
           COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1),
                    '0000000000000000000000000000000000000000000000000000000000000000')
    FROM audit_log;

-- 1. Claims from an address that a clinic's staff use are flagged: looked up by address.
CREATE INDEX audit_by_client_ip ON audit_log (client_ip, at);
