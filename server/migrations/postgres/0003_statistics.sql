-- The registry statistics' data version: a counter that every new procedure version (a
-- submission or a correction, by any server process) moves on, in the same transaction. The
-- statistics cache compares it with the version it was built from; an unchanged counter means
-- unchanged figures, and reading it costs one row. Once per statement (a bulk load moves it
-- once per multi-row insert); the row lock it takes is held to the commit, as the audit head's
-- is, which every such transaction also takes.
CREATE TABLE statistics_data_version (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  BIGINT  NOT NULL
);
INSERT INTO statistics_data_version (id, version) VALUES (1, 0);

CREATE FUNCTION move_statistics_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE statistics_data_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER procedure_versions_move_statistics_data_version
    AFTER INSERT ON procedure_versions
    FOR EACH STATEMENT EXECUTE FUNCTION move_statistics_data_version();
