//! Delimited files (GUDID's pipe-delimited releases, the register's CSV) read one row at a time
//! from any reader, never the whole file in memory. The header row names the columns; they are
//! found by name in any order, compared ignoring case, spaces and underscores, so
//! `primary_di`, `PrimaryDI` and `primaryDi` are the same column.
//!
//! Quoting is RFC 4180's, as the `csv` crate reads it: a value may be wrapped in double quotes
//! (then it may hold the delimiter, line breaks, and `""` for a quote); a quote inside an
//! unquoted value is an ordinary character.

use std::io::Read;

use serde::{Deserialize, Serialize};

use super::device::agency_from_name;
use super::fields::{TextKind, check_text, parse_yes_no, shortened};
use super::identifier::DeviceIdentifier;
use crate::udi::IssuingAgency;

/// A column a file must or may have: its name, and other spellings seen for it.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub required: bool,
}

impl Column {
    pub const fn required(name: &'static str, aliases: &'static [&'static str]) -> Self {
        Self {
            name,
            aliases,
            required: true,
        }
    }

    pub const fn optional(name: &'static str, aliases: &'static [&'static str]) -> Self {
        Self {
            name,
            aliases,
            required: false,
        }
    }
}

/// A row left out of an import, and why. `line` counts from 1, the header being line 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("Line {line}: {reason}")]
pub struct RowRejection {
    pub line: u64,
    pub reason: String,
}

/// A file that cannot be imported at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("{file} is empty: its first line must be the header row naming the columns")]
    Empty { file: &'static str },
    #[error(
        "{file} has no {} column: the first line must be the header row, naming at least the columns {} (in any order)",
        .missing.join(", "),
        .required.join(", ")
    )]
    MissingColumns {
        file: &'static str,
        missing: Vec<&'static str>,
        required: Vec<&'static str>,
    },
    #[error("{file} cannot be read: {reason}")]
    Unreadable { file: &'static str, reason: String },
}

/// Header names compared ignoring case and everything but letters and digits (which also
/// drops a byte-order mark).
fn normalise_header(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The rows of one file, with its columns found.
pub struct DelimitedRows<R: Read> {
    reader: csv::Reader<R>,
    record: csv::StringRecord,
    /// For each expected column (in the order given to `open`), its position in the file.
    positions: Vec<Option<usize>>,
    delimiter: u8,
    finished: bool,
}

/// One row: values by the index of their column in the list given to `open`.
pub struct Row<'a> {
    pub line: u64,
    record: &'a csv::StringRecord,
    positions: &'a [Option<usize>],
}

impl Row<'_> {
    /// The trimmed value, or "" when the file has no such column.
    pub fn get(&self, column: usize) -> &str {
        self.positions
            .get(column)
            .copied()
            .flatten()
            .and_then(|position| self.record.get(position))
            .unwrap_or("")
            .trim()
    }
}

impl<R: Read> DelimitedRows<R> {
    /// Reads the header row and finds `columns` in it.
    pub fn open(
        input: R,
        delimiter: u8,
        file: &'static str,
        columns: &[Column],
    ) -> Result<Self, ImportError> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(true)
            .from_reader(input);
        let headers = reader
            .headers()
            .map_err(|error| ImportError::Unreadable {
                file,
                reason: error.to_string(),
            })?
            .clone();
        if headers.iter().all(|name| name.trim().is_empty()) {
            return Err(ImportError::Empty { file });
        }
        let found: Vec<String> = headers.iter().map(normalise_header).collect();
        let positions: Vec<Option<usize>> = columns
            .iter()
            .map(|column| {
                std::iter::once(column.name)
                    .chain(column.aliases.iter().copied())
                    .find_map(|name| {
                        let name = normalise_header(name);
                        found.iter().position(|header| *header == name)
                    })
            })
            .collect();
        let missing: Vec<&'static str> = columns
            .iter()
            .zip(&positions)
            .filter(|(column, position)| column.required && position.is_none())
            .map(|(column, _)| column.name)
            .collect();
        if !missing.is_empty() {
            return Err(ImportError::MissingColumns {
                file,
                missing,
                required: columns
                    .iter()
                    .filter(|column| column.required)
                    .map(|column| column.name)
                    .collect(),
            });
        }
        Ok(Self {
            reader,
            record: csv::StringRecord::new(),
            positions,
            delimiter,
            finished: false,
        })
    }

    /// The next row, a row that cannot be read, or `None` at the end of the file.
    pub fn next_row(&mut self) -> Option<Result<Row<'_>, RowRejection>> {
        if self.finished {
            return None;
        }
        match self.reader.read_record(&mut self.record) {
            Ok(false) => {
                self.finished = true;
                None
            }
            Ok(true) => Some(Ok(Row {
                line: self.record.position().map_or(0, csv::Position::line),
                record: &self.record,
                positions: &self.positions,
            })),
            Err(error) => {
                let line = error
                    .position()
                    .map_or_else(|| self.reader.position().line(), csv::Position::line);
                let reason = match error.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => format!(
                        "this row has {len} values but the header has {expected_len} columns: {}",
                        match self.delimiter {
                            b'|' => "a value probably contains a '|' without being quoted",
                            _ => "put a value that contains a comma in double quotes",
                        }
                    ),
                    csv::ErrorKind::Utf8 { .. } => {
                        "this row is not UTF-8 text: save the file as UTF-8".to_string()
                    }
                    csv::ErrorKind::Io(io) => {
                        // Nothing after a read failure can be trusted.
                        self.finished = true;
                        format!("the file could not be read from here on: {io}")
                    }
                    _ => error.to_string(),
                };
                Some(Err(RowRejection { line, reason }))
            }
        }
    }
}

/// Reads the values of one row, noting every problem by its column's name, so a rejected row
/// says everything wrong with it at once.
pub struct RowReader<'a, 'r> {
    row: &'a Row<'r>,
    problems: Vec<String>,
}

impl<'a, 'r> RowReader<'a, 'r> {
    pub fn new(row: &'a Row<'r>) -> Self {
        Self {
            row,
            problems: Vec::new(),
        }
    }

    pub fn problem(&mut self, problem: impl Into<String>) {
        self.problems.push(problem.into());
    }

    /// The row's value when there were no problems.
    pub fn finish<T>(self, value: impl FnOnce() -> Option<T>) -> Result<T, RowRejection> {
        let line = self.row.line;
        if !self.problems.is_empty() {
            return Err(RowRejection {
                line,
                reason: self.problems.join("; "),
            });
        }
        // Every missing value was noted as a problem, so this is not reached.
        value().ok_or_else(|| RowRejection {
            line,
            reason: "this row could not be read".to_string(),
        })
    }

    /// `None` for an empty value: a problem too when the column is required.
    fn present(&mut self, column: &Column, index: usize) -> Option<&'a str> {
        let value = self.row.get(index);
        if value.is_empty() && column.required {
            self.problems.push(format!("{} is empty", column.name));
        }
        Some(value).filter(|value| !value.is_empty())
    }

    pub fn text(
        &mut self,
        column: &Column,
        index: usize,
        kind: TextKind,
        maximum: usize,
    ) -> Option<String> {
        let value = self.present(column, index)?;
        check_text(value, kind, maximum)
            .map_err(|problem| self.problems.push(problem.describe(column.name)))
            .ok()
            .map(str::to_string)
    }

    pub fn yes_no(&mut self, column: &Column, index: usize) -> Option<bool> {
        let value = self.present(column, index)?;
        parse_yes_no(value)
            .map_err(|_| {
                self.problems.push(format!(
                    "{} must be true or false, not '{}'",
                    column.name,
                    shortened(value)
                ))
            })
            .ok()
            .flatten()
    }

    pub fn number(&mut self, column: &Column, index: usize) -> Option<u32> {
        let value = self.present(column, index)?;
        value
            .parse()
            .map_err(|_| {
                self.problems.push(format!(
                    "{} must be a whole number, not '{}'",
                    column.name,
                    shortened(value)
                ))
            })
            .ok()
    }

    /// GS1, HIBCC or ICCBBA, in any case.
    pub fn agency(&mut self, column: &Column, index: usize) -> Option<IssuingAgency> {
        let value = self.present(column, index)?;
        let agency = agency_from_name(value);
        if agency.is_none() {
            self.problems.push(format!(
                "{} '{}' is not an agency the register takes: GS1, HIBCC or ICCBBA",
                column.name,
                shortened(value)
            ));
        }
        agency
    }

    /// A DI, checked for its agency when known, else for the shape all agencies' DIs share.
    pub fn di(
        &mut self,
        column: &Column,
        index: usize,
        agency: Option<IssuingAgency>,
    ) -> Option<DeviceIdentifier> {
        let value = self.present(column, index)?;
        let parsed = match agency {
            Some(agency) => DeviceIdentifier::parse(agency, value),
            None => DeviceIdentifier::parse_stored(value),
        };
        parsed
            .map_err(|error| {
                self.problems
                    .push(format!("{} '{}': {error}", column.name, shortened(value)))
            })
            .ok()
    }
}
