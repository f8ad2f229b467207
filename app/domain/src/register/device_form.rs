//! The administrators' form that adds or edits a device register entry.
//!
//! `DeviceForm` holds the form as typed (text everywhere); `DeviceForm::parse` returns the
//! typed `DeviceEntry` or every problem at once. The register's CSV import reads each row into
//! a `DeviceForm`, so a rejected row gives the same reasons the form would.

use serde::{Deserialize, Serialize};

use super::device::{
    BRAND_NAME_MAX, CATALOGUE_NUMBER_MAX, DeviceEntry, DeviceSide, MANUFACTURER_MAX, Manufacturer,
    MriSafety, NOMENCLATURE_TERM_MAX, Nomenclature, RegisterStatus, RiskClass, SIZE_MAX,
    VERSION_MODEL_MAX,
};
use super::fields::{FormReader, TextKind};
use super::identifier::read_agency_and_identifier;
use crate::forms::FieldError;
use crate::procedure::BodySite;

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
        let (agency, device_identifier) = read_agency_and_identifier(
            &mut form,
            "agency",
            "device_identifier",
            &self.agency,
            &self.device_identifier,
        );
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
