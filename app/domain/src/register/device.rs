//! A device register entry, with the data elements of the FDA GUDID and EU MDR Annex VI that
//! the registry uses, and the administrators' form that adds or edits one.
//!
//! `DeviceForm` holds the form as typed (text everywhere); `DeviceForm::parse` returns the
//! typed `DeviceEntry` or every problem at once. The register's CSV import reads each row into
//! a `DeviceForm`, so a rejected row gives the same reasons the form would.

use serde::{Deserialize, Serialize};

use super::fields::{FormReader, TextKind};
use super::identifier::DeviceIdentifier;
use crate::forms::FieldError;
use crate::procedure::{BodySite, DeviceFacts, Laterality};
use crate::udi::IssuingAgency;

pub const BRAND_NAME_MAX: usize = 200;
pub const VERSION_MODEL_MAX: usize = 100;
pub const CATALOGUE_NUMBER_MAX: usize = 60;
pub const MANUFACTURER_MAX: usize = 200;
pub const NOMENCLATURE_TERM_MAX: usize = 300;
pub const SIZE_MAX: usize = 60;
pub const DESCRIPTION_MAX: usize = 2000;

/// The agencies in the order a form offers them.
pub const AGENCIES: [IssuingAgency; 3] = [
    IssuingAgency::Gs1,
    IssuingAgency::Hibcc,
    IssuingAgency::Iccbba,
];

/// An agency by its name (GS1, HIBCC, ICCBBA), in any case, as forms and GUDID write it.
pub fn agency_from_name(name: &str) -> Option<IssuingAgency> {
    AGENCIES
        .into_iter()
        .find(|agency| agency.name().eq_ignore_ascii_case(name.trim()))
}

choice!(
    /// The EU MDR 2017/745 (Annex VIII) classes, which UK MDR 2002 shares, plus AIMD:
    /// active implantable devices are their own category under UK MDR 2002 Part III (the
    /// former EU AIMD Directive) and class III under EU MDR. US FDA classes are not kept: the
    /// register classifies by the rules that apply to devices used here.
    RiskClass {
        I => ("i", "Class I"),
        IIa => ("iia", "Class IIa"),
        IIb => ("iib", "Class IIb"),
        III => ("iii", "Class III"),
        Aimd => ("aimd", "Active implantable medical device (AIMD)"),
    }
);

choice!(
    /// MRI safety as labelled (ASTM F2503); GUDID's four values.
    MriSafety {
        MrSafe => ("mr_safe", "MR Safe"),
        MrConditional => ("mr_conditional", "MR Conditional"),
        MrUnsafe => ("mr_unsafe", "MR Unsafe"),
        NotLabelled => ("not_labelled", "Labelling does not contain MRI safety information"),
    }
);

impl MriSafety {
    /// From GUDID's `MRISafetyStatus` text, e.g. "MR Conditional" or "Labeling does not
    /// contain MRI Safety Information" (compared ignoring case).
    pub fn from_gudid(text: &str) -> Option<Self> {
        let text = text.trim();
        [
            ("MR Safe", Self::MrSafe),
            ("MR Conditional", Self::MrConditional),
            ("MR Unsafe", Self::MrUnsafe),
            (
                "Labeling does not contain MRI Safety Information",
                Self::NotLabelled,
            ),
        ]
        .into_iter()
        .find(|(gudid, _)| gudid.eq_ignore_ascii_case(text))
        .map(|(_, value)| value)
    }
}

choice!(
    /// The register's own status for an entry. Entries are never deleted: procedures refer to
    /// them. A withdrawn entry stays for records and safety notices but is not offered for
    /// new procedures.
    RegisterStatus {
        Active => ("active", "Active"),
        Withdrawn => ("withdrawn", "Withdrawn"),
    }
);

choice!(
    /// Which side a handed component is made for.
    DeviceSide {
        Left => ("left", "Left"),
        Right => ("right", "Right"),
        Either => ("either", "Either side (not handed)"),
    }
);

/// A nomenclature code with its term: GMDN (5-digit code) or EMDN (letter and digits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nomenclature {
    pub code: String,
    pub term: String,
}

/// The maker, with the identifiers GUDID (DUNS) and EUDAMED (SRN) give it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manufacturer {
    pub name: String,
    /// 9 digits.
    pub duns: Option<String>,
    /// EU Single Registration Number of a manufacturer, e.g. `DE-MF-000012345`.
    pub srn: Option<String>,
}

/// Where an entry came from in GUDID, so a re-import can tell new from old.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GudidRecordVersion {
    pub record_key: String,
    pub version: u32,
}

/// One device model in the register. Fields GUDID does not give (risk class, implantable,
/// nomenclature from other files) are `None` on imported entries until an administrator
/// completes them; the administrators' form asks for all of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceEntry {
    pub device_identifier: DeviceIdentifier,
    pub agency: IssuingAgency,
    pub brand_name: String,
    pub version_model: Option<String>,
    pub catalogue_number: Option<String>,
    pub manufacturer: Manufacturer,
    pub gmdn: Option<Nomenclature>,
    pub emdn: Option<Nomenclature>,
    pub risk_class: Option<RiskClass>,
    pub implantable: Option<bool>,
    pub mri_safety: Option<MriSafety>,
    pub sterile: Option<bool>,
    pub single_use: Option<bool>,
    pub body_site: Option<BodySite>,
    pub side: DeviceSide,
    pub size: Option<String>,
    pub status: RegisterStatus,
    /// Present for entries imported from GUDID.
    pub gudid_record: Option<GudidRecordVersion>,
}

impl DeviceEntry {
    /// What the procedure rules need to know about this device.
    pub fn facts(&self) -> DeviceFacts {
        let name = match &self.version_model {
            Some(model) => format!("{} {model}", self.brand_name),
            None => self.brand_name.clone(),
        };
        DeviceFacts {
            device_identifier: self.device_identifier.to_string(),
            manufacturer: self.manufacturer.name.clone(),
            name,
            side: match self.side {
                DeviceSide::Left => Some(Laterality::Left),
                DeviceSide::Right => Some(Laterality::Right),
                DeviceSide::Either => None,
            },
            body_site: self.body_site,
        }
    }

    /// The register's search: the query (ignoring case) is part of the DI, brand, model,
    /// catalogue number or maker; a typed GTIN-12 or -13 finds its GTIN-14.
    pub fn matches_search(&self, query: &str) -> bool {
        let query = query.trim();
        if query.is_empty() {
            return true;
        }
        if let Ok(di) = DeviceIdentifier::parse(IssuingAgency::Gs1, query)
            && di == self.device_identifier
        {
            return true;
        }
        let query = query.to_lowercase();
        [
            Some(self.device_identifier.as_str()),
            Some(self.brand_name.as_str()),
            self.version_model.as_deref(),
            self.catalogue_number.as_deref(),
            Some(self.manufacturer.name.as_str()),
        ]
        .into_iter()
        .flatten()
        .any(|text| text.to_lowercase().contains(&query))
    }
}

/// The administrators' add/edit form, as typed. Field names are also the columns of the
/// register's CSV import.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceForm {
    pub device_identifier: String,
    /// GS1, HIBCC or ICCBBA.
    pub agency: String,
    pub brand_name: String,
    pub version_model: String,
    pub catalogue_number: String,
    pub manufacturer: String,
    pub duns: String,
    pub srn: String,
    pub gmdn_code: String,
    pub gmdn_term: String,
    pub emdn_code: String,
    pub emdn_term: String,
    pub risk_class: String,
    /// yes or no.
    pub implantable: String,
    pub mri_safety: String,
    pub sterile: String,
    pub single_use: String,
    pub body_site: String,
    /// left, right or either; empty means either.
    pub side: String,
    pub size: String,
    /// active or withdrawn; empty means active.
    pub status: String,
}

impl DeviceForm {
    /// The entry, or every problem found, in the form's order.
    pub fn parse(&self) -> Result<DeviceEntry, Vec<FieldError>> {
        let mut form = FormReader::new();
        let agency = form.choice(
            "agency",
            "Issuing agency",
            &self.agency,
            true,
            &AGENCIES,
            IssuingAgency::name,
        );
        let device_identifier = match agency {
            Some(agency) => DeviceIdentifier::parse(agency, &self.device_identifier)
                .map_err(|error| form.push("device_identifier", error.to_string()))
                .ok(),
            None if self.device_identifier.trim().is_empty() => {
                form.push("device_identifier", "Enter the device identifier (UDI-DI)");
                None
            }
            None => None,
        };
        let line = TextKind::Line;
        let brand_name = form.required(
            "brand_name",
            "Brand name",
            &self.brand_name,
            line,
            BRAND_NAME_MAX,
        );
        let version_model = form.required(
            "version_model",
            "Version or model",
            &self.version_model,
            line,
            VERSION_MODEL_MAX,
        );
        let catalogue_number = form.optional(
            "catalogue_number",
            "Catalogue number",
            &self.catalogue_number,
            line,
            CATALOGUE_NUMBER_MAX,
        );
        let manufacturer_name = form.required(
            "manufacturer",
            "Manufacturer",
            &self.manufacturer,
            line,
            MANUFACTURER_MAX,
        );
        let duns = parse_duns(&mut form, &self.duns);
        let srn = parse_srn(&mut form, &self.srn);
        let gmdn = self.nomenclature(&mut form, Scheme::Gmdn);
        let emdn = self.nomenclature(&mut form, Scheme::Emdn);
        if gmdn.is_none()
            && emdn.is_none()
            && (self.gmdn_code.clone() + &self.gmdn_term + &self.emdn_code + &self.emdn_term)
                .trim()
                .is_empty()
        {
            form.push(
                "gmdn_code",
                "Enter a GMDN or an EMDN code with its term (or both): the register groups devices by them",
            );
        }
        let risk_class = form.choice(
            "risk_class",
            "Risk class",
            &self.risk_class,
            true,
            RiskClass::ALL,
            RiskClass::code,
        );
        let implantable = form.yes_no("implantable", "Implantable", &self.implantable, true);
        let mri_safety = form.choice(
            "mri_safety",
            "MRI safety",
            &self.mri_safety,
            true,
            MriSafety::ALL,
            MriSafety::code,
        );
        let sterile = form.yes_no("sterile", "Sterile", &self.sterile, true);
        let single_use = form.yes_no("single_use", "Single use", &self.single_use, true);
        let body_site = form.choice(
            "body_site",
            "Body site",
            &self.body_site,
            false,
            BodySite::ALL,
            BodySite::code,
        );
        let side = form
            .choice(
                "side",
                "Side",
                &self.side,
                false,
                DeviceSide::ALL,
                DeviceSide::code,
            )
            .unwrap_or(DeviceSide::Either);
        let size = form.optional("size", "Size", &self.size, line, SIZE_MAX);
        let status = form
            .choice(
                "status",
                "Status",
                &self.status,
                false,
                RegisterStatus::ALL,
                RegisterStatus::code,
            )
            .unwrap_or(RegisterStatus::Active);
        let (
            Some(device_identifier),
            Some(agency),
            Some(brand_name),
            Some(manufacturer_name),
            false,
        ) = (
            device_identifier,
            agency,
            brand_name,
            manufacturer_name,
            form.has_errors(),
        )
        else {
            return Err(form.into_errors());
        };
        Ok(DeviceEntry {
            device_identifier,
            agency,
            brand_name,
            version_model,
            catalogue_number,
            manufacturer: Manufacturer {
                name: manufacturer_name,
                duns,
                srn,
            },
            gmdn,
            emdn,
            risk_class,
            implantable,
            mri_safety,
            sterile,
            single_use,
            body_site,
            side,
            size,
            status,
            gudid_record: None,
        })
    }

    /// The form for editing an entry, filled in as the entry stands.
    pub fn from_entry(entry: &DeviceEntry) -> Self {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        let yes_no = |value: Option<bool>| match value {
            Some(true) => "yes".to_string(),
            Some(false) => "no".to_string(),
            None => String::new(),
        };
        let code = |nomenclature: &Option<Nomenclature>| {
            nomenclature
                .as_ref()
                .map(|n| (n.code.clone(), n.term.clone()))
                .unwrap_or_default()
        };
        let (gmdn_code, gmdn_term) = code(&entry.gmdn);
        let (emdn_code, emdn_term) = code(&entry.emdn);
        Self {
            device_identifier: entry.device_identifier.to_string(),
            agency: entry.agency.name().to_string(),
            brand_name: entry.brand_name.clone(),
            version_model: text(&entry.version_model),
            catalogue_number: text(&entry.catalogue_number),
            manufacturer: entry.manufacturer.name.clone(),
            duns: text(&entry.manufacturer.duns),
            srn: text(&entry.manufacturer.srn),
            gmdn_code,
            gmdn_term,
            emdn_code,
            emdn_term,
            risk_class: entry
                .risk_class
                .map(|c| c.code().to_string())
                .unwrap_or_default(),
            implantable: yes_no(entry.implantable),
            mri_safety: entry
                .mri_safety
                .map(|m| m.code().to_string())
                .unwrap_or_default(),
            sterile: yes_no(entry.sterile),
            single_use: yes_no(entry.single_use),
            body_site: entry
                .body_site
                .map(|b| b.code().to_string())
                .unwrap_or_default(),
            side: entry.side.code().to_string(),
            size: text(&entry.size),
            status: entry.status.code().to_string(),
        }
    }

    fn nomenclature(&self, form: &mut FormReader, scheme: Scheme) -> Option<Nomenclature> {
        let (raw_code, raw_term, name) = match scheme {
            Scheme::Gmdn => (&self.gmdn_code, &self.gmdn_term, "GMDN"),
            Scheme::Emdn => (&self.emdn_code, &self.emdn_term, "EMDN"),
        };
        let prefix = name.to_ascii_lowercase();
        let (code_field, term_field) = (format!("{prefix}_code"), format!("{prefix}_term"));
        let code = raw_code.trim().to_ascii_uppercase();
        let term = form.optional(
            &term_field,
            &format!("{name} term"),
            raw_term,
            TextKind::Line,
            NOMENCLATURE_TERM_MAX,
        );
        if !code.is_empty() && !scheme.accepts(&code) {
            form.push(
                &code_field,
                format!("{name} code must be {}", scheme.shape()),
            );
            return None;
        }
        match (code.is_empty(), term) {
            (true, None) => None,
            (false, Some(term)) => Some(Nomenclature { code, term }),
            (false, None) => {
                // A term that is there but invalid has been reported already.
                if raw_term.trim().is_empty() {
                    form.push(
                        &term_field,
                        format!("Enter the {name} term for code {code}"),
                    );
                }
                None
            }
            (true, Some(_)) => {
                form.push(&code_field, format!("Enter the {name} code for this term"));
                None
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Scheme {
    Gmdn,
    Emdn,
}

impl Scheme {
    fn accepts(self, code: &str) -> bool {
        match self {
            Self::Gmdn => code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit()),
            Self::Emdn => {
                (3..=13).contains(&code.len())
                    && code.starts_with(|c: char| c.is_ascii_uppercase())
                    && code.bytes().skip(1).all(|b| b.is_ascii_digit())
            }
        }
    }

    fn shape(self) -> &'static str {
        match self {
            Self::Gmdn => "5 digits, like 35665",
            Self::Emdn => "a capital letter followed by 2 to 12 digits, like P0908",
        }
    }
}

/// DUNS: 9 digits, often written with hyphens (12-345-6789).
fn parse_duns(form: &mut FormReader, value: &str) -> Option<String> {
    let digits: String = value.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
    if digits.is_empty() {
        return None;
    }
    if digits.len() == 9 && digits.bytes().all(|b| b.is_ascii_digit()) {
        Some(digits)
    } else {
        form.push(
            "duns",
            "DUNS number must be 9 digits, like 123456789, or left empty",
        );
        None
    }
}

/// A manufacturer's SRN: country code, `MF`, 9 digits (`DE-MF-000012345`).
fn parse_srn(form: &mut FormReader, value: &str) -> Option<String> {
    let srn = value.trim().to_ascii_uppercase();
    if srn.is_empty() {
        return None;
    }
    let parts: Vec<&str> = srn.split('-').collect();
    let valid = matches!(parts.as_slice(), [country, "MF", number]
        if country.len() == 2
            && country.bytes().all(|b| b.is_ascii_uppercase())
            && number.len() == 9
            && number.bytes().all(|b| b.is_ascii_digit()));
    if valid {
        Some(srn)
    } else {
        form.push(
            "srn",
            "SRN must be the manufacturer's EUDAMED Single Registration Number: country code, MF and 9 digits, like DE-MF-000012345, or left empty",
        );
        None
    }
}

#[cfg(test)]
mod tests;
