-- One row describing this registry instance: when it was created. Lets the status line and
-- support staff tell instances apart.
CREATE TABLE instance (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    instance_id TEXT    NOT NULL,
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
INSERT INTO instance (id, instance_id) VALUES (1, lower(hex(randomblob(8))));
