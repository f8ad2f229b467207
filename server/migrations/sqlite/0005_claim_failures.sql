-- Wrong attempts on each claim code, from any account: the code stops working after too many,
-- so a lost or stolen card cannot be tried from many accounts.
ALTER TABLE procedures ADD COLUMN claim_failures INTEGER NOT NULL DEFAULT 0;
