-- The device register: what each device identifier is.
CREATE TABLE devices (
    id                 INTEGER PRIMARY KEY,
    device_identifier  TEXT    NOT NULL UNIQUE,
    agency             TEXT    NOT NULL CHECK (agency IN ('GS1', 'HIBCC', 'ICCBBA')),
    manufacturer       TEXT    NOT NULL,
    name               TEXT    NOT NULL,
    catalogue_number   TEXT,
    body_site          TEXT,
    -- 'left' or 'right' for handed components; NULL for either side.
    side               TEXT    CHECK (side IN ('left', 'right')),
    created_at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- A procedure record. Its content lives in versions: a correction adds a version and keeps
-- the old one.
CREATE TABLE procedures (
    id                     INTEGER PRIMARY KEY,
    organisation_id        INTEGER NOT NULL REFERENCES organisations (id),
    current_version        INTEGER NOT NULL,
    -- The current version's pseudonym, for finding a patient's records.
    patient_pseudonym      TEXT,
    -- One-time code printed on the implant card; stored hashed, and sealed for reprinting.
    claim_code_hash        TEXT    UNIQUE,
    claim_code_sealed      BLOB,
    claim_code_expires_at  TEXT,
    claimed_at             TEXT,
    created_by             INTEGER NOT NULL REFERENCES users (id),
    created_at             TEXT    NOT NULL
);
CREATE INDEX procedures_by_organisation ON procedures (organisation_id, id);
CREATE INDEX procedures_by_pseudonym ON procedures (patient_pseudonym);

CREATE TABLE procedure_versions (
    id                     INTEGER PRIMARY KEY,
    procedure_id           INTEGER NOT NULL REFERENCES procedures (id),
    version                INTEGER NOT NULL,
    site_id                INTEGER NOT NULL REFERENCES sites (id),
    consultant_gmc         TEXT    NOT NULL,
    procedure_date         TEXT    NOT NULL,
    procedure_type         TEXT    NOT NULL,
    body_site              TEXT    NOT NULL,
    laterality             TEXT    NOT NULL,
    revision_reasons       TEXT    NOT NULL,
    consent                TEXT    NOT NULL CHECK (consent IN ('given', 'declined', 'not_asked')),
    patient_pseudonym      TEXT,
    year_of_birth          INTEGER NOT NULL,
    sex                    TEXT    NOT NULL,
    postcode_district      TEXT    NOT NULL,
    acknowledged_warnings  TEXT    NOT NULL,
    correction_reason      TEXT,
    created_by             INTEGER NOT NULL REFERENCES users (id),
    created_at             TEXT    NOT NULL,
    UNIQUE (procedure_id, version),
    CHECK ((consent = 'given') = (patient_pseudonym IS NOT NULL))
);
CREATE INDEX versions_by_date ON procedure_versions (procedure_date);

CREATE TABLE procedure_components (
    id                 INTEGER PRIMARY KEY,
    version_id         INTEGER NOT NULL REFERENCES procedure_versions (id),
    position           INTEGER NOT NULL,
    device_identifier  TEXT,
    agency             TEXT,
    udi                TEXT,
    manufacturer       TEXT,
    catalogue_number   TEXT,
    lot                TEXT,
    serial             TEXT,
    expiry             TEXT,
    -- The register entry matched, NULL when the device is not in the register.
    device_id          INTEGER REFERENCES devices (id),
    needs_review       INTEGER NOT NULL DEFAULT 0,
    UNIQUE (version_id, position)
);
CREATE INDEX components_by_device ON procedure_components (device_identifier, lot);

-- Each submission's idempotency key, stored in the same transaction as the record: a retry
-- returns the first result instead of making a second record.
CREATE TABLE submissions (
    idempotency_key  TEXT    PRIMARY KEY,
    user_id          INTEGER NOT NULL REFERENCES users (id),
    procedure_id     INTEGER NOT NULL REFERENCES procedures (id),
    version          INTEGER NOT NULL,
    created_at       TEXT    NOT NULL
);

-- The key each clinic user's browser encrypts drafts and queued records with, sealed with the
-- server's account key. Released only to that user's signed-in sessions.
CREATE TABLE draft_keys (
    user_id     INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    sealed_key  BLOB    NOT NULL
);
