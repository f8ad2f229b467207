import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** A GTIN-14 from its first 13 digits, with the GS1 mod-10 check digit computed. */
export function gtin(firstThirteen: string): string {
  const sum = [...firstThirteen]
    .reverse()
    .reduce((total, digit, index) => total + Number(digit) * (index % 2 === 0 ? 3 : 1), 0);
  return firstThirteen + String((10 - (sum % 10)) % 10);
}

/** The demo register's devices (see server/src/seed.rs). */
export const DEVICES = {
  stem: gtin('0506000134001'),
  cup: gtin('0506000134002'),
  head: gtin('0506000134003'),
  otherCup: gtin('0506000134004'),
};

/** A GS1 UDI in human-readable form. */
export function udi(gtinValue: string, expiryYYMMDD: string, lot: string): string {
  return `(01)${gtinValue}(17)${expiryYYMMDD}(10)${lot}`;
}

/** The portal's SQLite database file (and its WAL) for this run. */
export function databaseFiles(): string[] {
  const dir = process.env.E2E_DATA_DIR!;
  return ['mdis.sqlite3', 'mdis.sqlite3-wal'].map((name) => join(dir, name));
}

/** Runs a read-only SQL query against the portal's database; returns the rows as JSON. */
export function query(sql: string): unknown[][] {
  const script = `import json, sqlite3, sys
connection = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
print(json.dumps(connection.execute(sys.argv[2]).fetchall()))`;
  const output = execFileSync('python3', ['-c', script, databaseFiles()[0], sql], { encoding: 'utf8' });
  return JSON.parse(output);
}
