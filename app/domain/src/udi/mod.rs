//! The UDI engine: turns what a scanner, a camera or a person produced into a structured Unique
//! Device Identifier, or says precisely what is wrong. Used by the browser (as WASM, live as
//! people type) and by the server (re-validating every submission), with the same code.
//!
//! Forms recognised automatically: GS1 element strings (with GS separators, symbology
//! identifiers or the substitutes keyboard-wedge scanners send), GS1 human-readable text with
//! parentheses, GS1 Digital Link URIs, HIBC primary / secondary / concatenated data, and ICCBBA
//! ISBT 128 data structures.

mod assemble;
pub mod combine;
pub mod date;
pub mod error;
pub mod gs1;
pub mod gtin;
pub mod hibcc;
pub mod isbt128;
pub mod wedge;

use serde::{Deserialize, Serialize};

pub use assemble::field_label;
pub use date::UdiDate;
pub use error::{Reading, Span, UdiError, UdiErrorKind, UdiErrors};
pub use gtin::Gtin;
pub use hibcc::{HibcPrimary, HibcSecondary};
pub use isbt128::Isbt128Structure;
pub use wedge::WedgeSettings;

use assemble::{gs1_udi, hibc_udi, isbt128_udi};

/// Who issued the identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssuingAgency {
    Gs1,
    Hibcc,
    Iccbba,
}

impl IssuingAgency {
    pub fn name(self) -> &'static str {
        match self {
            Self::Gs1 => "GS1",
            Self::Hibcc => "HIBCC",
            Self::Iccbba => "ICCBBA",
        }
    }
}

/// The form the data arrived in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputForm {
    Gs1ElementString,
    Gs1HumanReadable,
    Gs1DigitalLink,
    HibcPrimary,
    HibcSecondary,
    HibcPrimaryAndSecondary,
    Isbt128,
}

impl InputForm {
    pub fn describe(self) -> &'static str {
        match self {
            Self::Gs1ElementString => "GS1 element string",
            Self::Gs1HumanReadable => "GS1 human-readable text",
            Self::Gs1DigitalLink => "GS1 Digital Link URI",
            Self::HibcPrimary => "HIBC primary data",
            Self::HibcSecondary => "HIBC secondary data",
            Self::HibcPrimaryAndSecondary => "HIBC primary and secondary data",
            Self::Isbt128 => "ISBT 128",
        }
    }
}

/// One field of the UDI as read: an AI and its value for GS1, a named part for HIBC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UdiField {
    /// The AI (`17`) or, for HIBC, the part's key (`labeler`).
    pub code: String,
    /// What a person calls it: "Expiry date".
    pub label: String,
    pub value: String,
}

/// A parsed UDI: the device identifier (UDI-DI) and the production identifiers (UDI-PI).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Udi {
    pub agency: IssuingAgency,
    pub form: InputForm,
    /// The AIM symbology identifier the scanner reported, e.g. `]d2`.
    pub symbology: Option<String>,
    /// The UDI-DI: a GTIN-14, or HIBC labeler + product + unit of measure. Absent when only
    /// production data was scanned (e.g. one line of a two-line label).
    pub device_identifier: Option<String>,
    pub gtin: Option<Gtin>,
    pub hibc: Option<HibcPrimary>,
    pub lot: Option<String>,
    pub serial: Option<String>,
    pub expiry: Option<UdiDate>,
    pub manufactured: Option<UdiDate>,
    pub software_version: Option<String>,
    /// In a separate HIBC secondary symbol: the primary's check character.
    pub hibc_link_character: Option<char>,
    /// Every field read, in order, including those with no dedicated place above.
    pub fields: Vec<UdiField>,
    pub isbt128: Vec<Isbt128Structure>,
    /// Things the person should know but that do not make the UDI wrong.
    pub warnings: Vec<String>,
}

impl Udi {
    /// The GS1 `(AI, value)` pairs, in the order read (empty for other agencies).
    pub fn gs1_pairs(&self) -> Vec<(&str, &str)> {
        if self.agency != IssuingAgency::Gs1 {
            return Vec::new();
        }
        self.fields
            .iter()
            .map(|field| (field.code.as_str(), field.value.as_str()))
            .collect()
    }

    /// The UDI as GS1 human-readable text, as printed on an implant card; HIBC data as its
    /// `+…` text.
    pub fn human_readable(&self) -> String {
        match self.agency {
            IssuingAgency::Gs1 => gs1::to_human_readable(&self.gs1_pairs()),
            IssuingAgency::Hibcc => match &self.hibc {
                Some(primary) => hibcc::render(primary, Some(&self.hibc_secondary())),
                None => self
                    .fields
                    .iter()
                    .map(|f| f.value.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            },
            IssuingAgency::Iccbba => self
                .isbt128
                .iter()
                .map(|structure| format!("{}{}", structure.identifier, structure.data))
                .collect(),
        }
    }

    fn hibc_secondary(&self) -> HibcSecondary {
        HibcSecondary {
            lot: self.lot.clone(),
            serial: self.serial.clone(),
            expiry: self.expiry,
            manufactured: self.manufactured,
            quantity: None,
            link_character: None,
        }
    }

    /// The production identifiers in words: `["lot AB12", "serial 7", "expires 31 December 2028"]`.
    pub fn production_summary(&self) -> Vec<String> {
        let mut parts = Vec::new();
        if let Some(lot) = &self.lot {
            parts.push(format!("lot {lot}"));
        }
        if let Some(serial) = &self.serial {
            parts.push(format!("serial {serial}"));
        }
        if let Some(expiry) = self.expiry {
            parts.push(format!("expires {expiry}"));
        }
        parts
    }

    /// True when the device identifier is known (a UDI-DI was read).
    pub fn has_device_identifier(&self) -> bool {
        self.device_identifier.is_some()
    }
}

/// How to read an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseOptions {
    /// The current year, for two-digit years (GS1's sliding window).
    pub reference_year: u16,
    /// The scanner profile: what a keyboard wedge sends for GS, its prefix and suffix.
    pub wedge: WedgeSettings,
    /// True when a decoder that keeps GS1 separators (a camera decoder, not a keyboard wedge)
    /// produced the data: a value without a following separator is then certainly the last,
    /// and no text is taken as a separator substitute.
    pub separators_trusted: bool,
}

impl ParseOptions {
    pub fn new(reference_year: u16) -> Self {
        Self {
            reference_year,
            wedge: WedgeSettings::default(),
            separators_trusted: false,
        }
    }
}

/// Parses a UDI in any supported form.
pub fn parse(input: &str, options: &ParseOptions) -> Result<Udi, UdiErrors> {
    let separators = if options.separators_trusted {
        wedge::SeparatorSource::Decoder
    } else {
        wedge::SeparatorSource::Wedge
    };
    let cleaned = wedge::clean(input, &options.wedge, separators);
    if cleaned.text.is_empty() {
        return Err(UdiErrors::one(UdiError::new(UdiErrorKind::Empty, None)));
    }
    parse_cleaned(&cleaned, options).map_err(|errors| {
        UdiErrors(
            errors
                .into_iter()
                .map(|mut error| {
                    error.span = error.span.map(|span| cleaned.original_span(span));
                    error
                })
                .collect(),
        )
    })
}

fn parse_cleaned(cleaned: &wedge::Cleaned, options: &ParseOptions) -> Result<Udi, Vec<UdiError>> {
    let text = cleaned.as_string();
    let first = cleaned.text[0];
    let mut udi = if gs1::digital_link::looks_like_uri(&cleaned.text) {
        let parsed = gs1::digital_link::parse(&text, options.reference_year)?;
        gs1_udi(
            InputForm::Gs1DigitalLink,
            parsed.elements,
            parsed.warnings,
            options.reference_year,
        )?
    } else if first == '(' {
        let elements =
            gs1::human_readable::parse(&without_spaces(&cleaned.text), options.reference_year)?;
        gs1_udi(
            InputForm::Gs1HumanReadable,
            elements,
            Vec::new(),
            options.reference_year,
        )?
    } else if first == '+' {
        hibc_udi(hibcc::parse(&text, options.reference_year)?)
    } else if first == '=' || first == '&' {
        isbt128_udi(isbt128::parse(&text)?)
    } else if first.is_ascii_digit() {
        let trusted = options.separators_trusted || cleaned.separators_seen;
        let parsed = gs1::element_string::parse(&cleaned.text, trusted, options.reference_year)?;
        gs1_udi(
            InputForm::Gs1ElementString,
            parsed.elements,
            parsed.warnings,
            options.reference_year,
        )?
    } else {
        return Err(vec![UdiError::new(
            UdiErrorKind::Unrecognised,
            Some(Span { start: 1, end: 1 }),
        )]);
    };
    udi.symbology = cleaned.symbology.clone();
    udi.warnings.splice(0..0, cleaned.notes.iter().cloned());
    Ok(udi)
}

/// Human-readable text is often typed with spaces for legibility; GS1 data never holds one.
fn without_spaces(text: &[char]) -> Vec<char> {
    text.iter().copied().filter(|c| *c != ' ').collect()
}
