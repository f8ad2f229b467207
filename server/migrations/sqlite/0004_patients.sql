-- A patient account's link to its pseudonym, made when the patient first claims a record
-- with its card's code and their own identifiers (pseudonymised in their browser). One person,
-- one account: a pseudonym is linked to at most one account.
CREATE TABLE patient_links (
    user_id            INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    patient_pseudonym  TEXT    NOT NULL UNIQUE,
    linked_at          TEXT    NOT NULL
);

-- Who used a record's claim code (with claimed_at, already on procedures).
ALTER TABLE procedures ADD COLUMN claimed_by INTEGER REFERENCES users (id);

-- Field safety notices and recalls, per device identifier; a NULL lot means every lot.
CREATE TABLE safety_notices (
    id                 INTEGER PRIMARY KEY,
    reference          TEXT    NOT NULL UNIQUE,
    device_identifier  TEXT    NOT NULL,
    lot                TEXT,
    title              TEXT    NOT NULL,
    -- What is wrong, and what the patient should do, in plain English.
    problem            TEXT    NOT NULL,
    patient_action     TEXT    NOT NULL,
    issued_on          TEXT    NOT NULL,
    withdrawn_at       TEXT,
    created_at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX safety_notices_by_device ON safety_notices (device_identifier, lot);
