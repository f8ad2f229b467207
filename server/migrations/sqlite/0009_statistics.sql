-- The registry statistics' data version: a counter that every new procedure version (a
-- submission or a correction, by any server process) moves on, in the same transaction. The
-- statistics cache compares it with the version it was built from; an unchanged counter means
-- unchanged figures, and reading it costs one row.
CREATE TABLE statistics_data_version (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  INTEGER NOT NULL
);
INSERT INTO statistics_data_version (id, version) VALUES (1, 0);

CREATE TRIGGER procedure_versions_move_statistics_data_version
AFTER INSERT ON procedure_versions
BEGIN
    UPDATE statistics_data_version SET version = version + 1 WHERE id = 1;
END;
