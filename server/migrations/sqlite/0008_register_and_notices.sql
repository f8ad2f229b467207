-- The device register and field safety notices (issue 13).

-- 1. The register's entries: the FDA GUDID and EU MDR Annex VI data elements the registry
-- uses, the register's own status, and where an entry came from in GUDID (public record key
-- and version, so a re-import tells new from old). `name` stays the name shown (brand and
-- model); `manufacturer` the maker's name; `side` NULL means either side.
ALTER TABLE devices ADD COLUMN brand_name TEXT;
ALTER TABLE devices ADD COLUMN version_model TEXT;
ALTER TABLE devices ADD COLUMN duns TEXT;
ALTER TABLE devices ADD COLUMN srn TEXT;
ALTER TABLE devices ADD COLUMN gmdn_code TEXT;
ALTER TABLE devices ADD COLUMN gmdn_term TEXT;
ALTER TABLE devices ADD COLUMN emdn_code TEXT;
ALTER TABLE devices ADD COLUMN emdn_term TEXT;
ALTER TABLE devices ADD COLUMN risk_class TEXT CHECK (risk_class IN ('i', 'iia', 'iib', 'iii', 'aimd'));
ALTER TABLE devices ADD COLUMN implantable INTEGER;
ALTER TABLE devices ADD COLUMN mri_safety TEXT
    CHECK (mri_safety IN ('mr_safe', 'mr_conditional', 'mr_unsafe', 'not_labelled'));
ALTER TABLE devices ADD COLUMN sterile INTEGER;
ALTER TABLE devices ADD COLUMN single_use INTEGER;
ALTER TABLE devices ADD COLUMN size TEXT;
ALTER TABLE devices ADD COLUMN status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'withdrawn'));
ALTER TABLE devices ADD COLUMN gudid_record_key TEXT;
ALTER TABLE devices ADD COLUMN gudid_version INTEGER;
ALTER TABLE devices ADD COLUMN updated_at TEXT;
-- The import that last changed the entry (its audit entry names it), or NULL.
ALTER TABLE devices ADD COLUMN import_id TEXT;
UPDATE devices SET brand_name = name WHERE brand_name IS NULL;
CREATE UNIQUE INDEX devices_by_gudid_record ON devices (gudid_record_key) WHERE gudid_record_key IS NOT NULL;

-- 2. Every identifier of a device: its primary DI, package DIs (a box of 10), previous DIs,
-- and DIs an administrator matched from the review queue. One identifier, one device.
CREATE TABLE device_identifiers (
    identifier  TEXT    PRIMARY KEY,
    device_id   INTEGER NOT NULL REFERENCES devices (id),
    agency      TEXT    NOT NULL CHECK (agency IN ('GS1', 'HIBCC', 'ICCBBA')),
    kind        TEXT    NOT NULL CHECK (kind IN ('primary', 'secondary', 'package', 'unit_of_use',
                                                 'previous', 'direct_marking', 'matched')),
    -- A package's content and how many it holds.
    contains    TEXT,
    quantity    INTEGER,
    created_at  TEXT    NOT NULL
);
CREATE INDEX device_identifiers_by_device ON device_identifiers (device_id);
INSERT INTO device_identifiers (identifier, device_id, agency, kind, created_at)
    SELECT device_identifier, id, agency, 'primary', created_at FROM devices;
-- However an entry is made, its primary DI finds it.
CREATE TRIGGER devices_primary_identifier AFTER INSERT ON devices
BEGIN
    INSERT OR IGNORE INTO device_identifiers (identifier, device_id, agency, kind, created_at)
        VALUES (NEW.device_identifier, NEW.id, NEW.agency, 'primary', NEW.created_at);
END;

-- 3. Components: lot and serial as order-preserving range keys (domain::register::range_key,
-- compared bytewise) and the manufacture date, so that a notice's match is an indexed query.
ALTER TABLE procedure_components ADD COLUMN lot_key TEXT;
ALTER TABLE procedure_components ADD COLUMN serial_key TEXT;
ALTER TABLE procedure_components ADD COLUMN manufactured TEXT;
CREATE INDEX components_by_register_lot ON procedure_components (device_id, lot_key);
CREATE INDEX components_by_register_serial ON procedure_components (device_id, serial_key);
CREATE INDEX components_to_review ON procedure_components (device_identifier) WHERE needs_review;

-- 4. Safety notices: a notice and its versions (1, 2, … once published; the row after the
-- last published one, with no published_at, is the draft being edited). Never deleted.
CREATE TABLE safety_notices_rebuilt (
    id                 INTEGER PRIMARY KEY,
    reference          TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    status             TEXT    NOT NULL CHECK (status IN ('draft', 'published', 'closed')),
    -- The latest published version, 0 before the first.
    published_version  INTEGER NOT NULL DEFAULT 0,
    created_by         INTEGER REFERENCES users (id),
    created_at         TEXT    NOT NULL,
    first_published_at TEXT,
    closed_at          TEXT,
    closed_by          INTEGER REFERENCES users (id)
);
CREATE TABLE safety_notice_versions (
    id                      INTEGER PRIMARY KEY,
    notice_id               INTEGER NOT NULL REFERENCES safety_notices_rebuilt (id),
    version                 INTEGER NOT NULL,
    title                   TEXT    NOT NULL,
    manufacturer_reference  TEXT    NOT NULL,
    fsn_date                TEXT    NOT NULL,
    problem                 TEXT    NOT NULL,
    risk                    TEXT    NOT NULL,
    clinic_action           TEXT    NOT NULL,
    patient_action          TEXT    NOT NULL,
    -- The devices and criteria as the domain's NoticeScope (JSON), primary DIs.
    scope                   TEXT    NOT NULL,
    saved_by                INTEGER REFERENCES users (id),
    saved_at                TEXT    NOT NULL,
    published_at            TEXT,
    published_by            INTEGER REFERENCES users (id),
    -- Whether safety_notice_criteria holds this version's scope (written from Rust).
    criteria_indexed        INTEGER NOT NULL DEFAULT 0,
    UNIQUE (notice_id, version)
);
-- The notices made by SQL before: each becomes published version 1 of one device, one lot
-- (or every lot); their criteria are indexed by the server at its next start.
INSERT INTO safety_notices_rebuilt (id, reference, status, published_version, created_at, first_published_at)
    SELECT id, reference, CASE WHEN withdrawn_at IS NULL THEN 'published' ELSE 'closed' END, 1,
           created_at, issued_on || 'T00:00:00.000Z'
    FROM safety_notices;
INSERT INTO safety_notice_versions (notice_id, version, title, manufacturer_reference, fsn_date, problem,
        risk, clinic_action, patient_action, scope, saved_at, published_at)
    SELECT id, 1, title, reference, issued_on, problem, problem,
           'Contact the patients who have this device and check them as the manufacturer advises.',
           patient_action,
           json_object('devices', json_array(json_object(
               'device_identifier', device_identifier,
               'selection', CASE WHEN lot IS NULL THEN json_object('kind', 'all_units')
                                 ELSE json_object('kind', 'lots', 'lots', json_array(upper(trim(lot)))) END,
               'manufactured', NULL, 'expiry', NULL))),
           created_at, issued_on || 'T00:00:00.000Z'
    FROM safety_notices;
DROP TABLE safety_notices;
ALTER TABLE safety_notices_rebuilt RENAME TO safety_notices;

-- One row per device a version names; list values in safety_notice_codes, by range key.
CREATE TABLE safety_notice_criteria (
    id                 INTEGER PRIMARY KEY,
    version_id         INTEGER NOT NULL REFERENCES safety_notice_versions (id),
    position           INTEGER NOT NULL,
    device_id          INTEGER NOT NULL REFERENCES devices (id),
    selection          TEXT    NOT NULL CHECK (selection IN ('all', 'lots', 'serials', 'lot_range', 'serial_range')),
    first_key          TEXT,
    last_key           TEXT,
    manufactured_from  TEXT,
    manufactured_to    TEXT,
    expiry_from        TEXT,
    expiry_to          TEXT,
    UNIQUE (version_id, position)
);
CREATE INDEX safety_notice_criteria_by_device ON safety_notice_criteria (device_id);
CREATE TABLE safety_notice_codes (
    criterion_id  INTEGER NOT NULL REFERENCES safety_notice_criteria (id),
    code_key      TEXT    NOT NULL,
    PRIMARY KEY (criterion_id, code_key)
);

-- 5. What each clinic said it did for each affected record (the latest; every change is in
-- the audit trail).
CREATE TABLE safety_notice_acknowledgements (
    organisation_id  INTEGER NOT NULL REFERENCES organisations (id),
    notice_id        INTEGER NOT NULL REFERENCES safety_notices (id),
    procedure_id     INTEGER NOT NULL REFERENCES procedures (id),
    kind             TEXT    NOT NULL CHECK (kind IN ('patient_contacted', 'review_booked', 'not_affected')),
    reason           TEXT,
    acknowledged_by  INTEGER NOT NULL REFERENCES users (id),
    acknowledged_at  TEXT    NOT NULL,
    PRIMARY KEY (organisation_id, notice_id, procedure_id),
    CHECK ((kind = 'not_affected') = (reason IS NOT NULL))
);
CREATE INDEX safety_notice_acknowledgements_by_notice ON safety_notice_acknowledgements (notice_id);

-- 6. When each clinic was told of each version (emailed on publishing, or warned when it
-- submitted a matching record), and which patients were emailed.
CREATE TABLE safety_notice_clinic_notifications (
    organisation_id   INTEGER NOT NULL REFERENCES organisations (id),
    notice_id         INTEGER NOT NULL REFERENCES safety_notices (id),
    version           INTEGER NOT NULL,
    told_at           TEXT    NOT NULL,
    how               TEXT    NOT NULL CHECK (how IN ('published', 'submission')),
    managers_emailed  INTEGER NOT NULL,
    PRIMARY KEY (organisation_id, notice_id, version)
);
CREATE INDEX safety_notice_clinic_notifications_by_notice ON safety_notice_clinic_notifications (notice_id);
CREATE TABLE safety_notice_patient_notifications (
    notice_id   INTEGER NOT NULL REFERENCES safety_notices (id),
    version     INTEGER NOT NULL,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    emailed_at  TEXT    NOT NULL,
    PRIMARY KEY (notice_id, version, user_id)
);

-- 7. Register imports: the upload (in chunks) and the import's progress and report.
CREATE TABLE device_imports (
    id               TEXT    PRIMARY KEY,
    kind             TEXT    NOT NULL CHECK (kind IN ('gudid', 'csv')),
    state            TEXT    NOT NULL CHECK (state IN ('uploading', 'running', 'finished', 'failed')),
    -- JSON: each file's role, name, size and bytes received.
    files            TEXT    NOT NULL,
    started_by       INTEGER REFERENCES users (id),
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    rows_read        INTEGER NOT NULL DEFAULT 0,
    bytes_read       INTEGER NOT NULL DEFAULT 0,
    report           TEXT,
    failure          TEXT
);
