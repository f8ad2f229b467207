//! A device register entry, with the data elements of the FDA GUDID and EU MDR Annex VI that
//! the registry uses, and the administrators' form that adds or edits one.
//!
//! The form that makes one is in `device_form`.

use serde::{Deserialize, Serialize};

use super::identifier::DeviceIdentifier;
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

/// New entries are active.
#[allow(clippy::derivable_impls)]
impl Default for RegisterStatus {
    fn default() -> Self {
        Self::Active
    }
}

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
            status: self.status,
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
