-- A record's versions and components carry their organisation, as the record does: every
-- table that holds a clinic's work is keyed and joined by organisation_id (on a distributed
-- PostgreSQL, the column that keeps a clinic's work on one shard).
ALTER TABLE procedure_versions ADD COLUMN organisation_id INTEGER REFERENCES organisations (id);
UPDATE procedure_versions SET organisation_id =
    (SELECT organisation_id FROM procedures WHERE procedures.id = procedure_versions.procedure_id);
ALTER TABLE procedure_components ADD COLUMN organisation_id INTEGER REFERENCES organisations (id);
UPDATE procedure_components SET organisation_id =
    (SELECT organisation_id FROM procedure_versions WHERE procedure_versions.id = procedure_components.version_id);
CREATE INDEX versions_by_organisation ON procedure_versions (organisation_id, procedure_id);
