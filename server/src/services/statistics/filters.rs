//! The filters every statistics page and endpoint takes (analysis date, date range, body
//! site, device), checked once: every problem at once, each on its field.

use app::api::ApiError;
use app::api::statistics::StatisticsQuery;
use domain::FieldError;
use domain::calendar::CalendarDate;
use domain::procedure::BodySite;
use domain::statistics::ProcedureEvent;

/// The earliest analysis date accepted.
const EARLIEST: (u16, u8, u8) = (1990, 1, 1);
/// Longer than any device identifier (a HIBC one has at most 23 characters).
const MAX_IDENTIFIER: usize = 50;

/// The filters, checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Filters {
    pub as_of: CalendarDate,
    pub body_site: Option<BodySite>,
    pub device: Option<String>,
    pub from: Option<CalendarDate>,
    pub to: CalendarDate,
}

fn date_field(
    text: &str,
    field: &str,
    what: &str,
    errors: &mut Vec<FieldError>,
) -> Option<CalendarDate> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let date = CalendarDate::from_iso(text);
    if date.is_none() {
        errors.push(FieldError::new(
            field,
            format!("{what} must be a real date, for example 2026-11-30"),
        ));
    }
    date
}

impl Filters {
    /// Checks the form's filters; every problem at once, each on its field.
    pub fn parse(query: &StatisticsQuery, today: CalendarDate) -> Result<Self, ApiError> {
        let mut errors = Vec::new();
        let earliest = CalendarDate::new(EARLIEST.0, EARLIEST.1, EARLIEST.2).expect("a real date");
        let as_of =
            date_field(&query.as_of, "as_of", "The analysis date", &mut errors).unwrap_or(today);
        if as_of > today {
            errors.push(FieldError::new(
                "as_of",
                "The analysis date must be today or in the past",
            ));
        } else if as_of < earliest {
            errors.push(FieldError::new(
                "as_of",
                "The analysis date must be in 1990 or later",
            ));
        }
        let from = date_field(
            &query.from,
            "from",
            "The start of the date range",
            &mut errors,
        );
        let to = date_field(&query.to, "to", "The end of the date range", &mut errors)
            .unwrap_or(as_of)
            .min(as_of);
        if from.is_some_and(|from| from > to) {
            errors.push(FieldError::new(
                "from",
                "The start of the date range must be on or before its end and the analysis date",
            ));
        }
        let body_site = match query.body_site.trim() {
            "" => None,
            code => {
                let site = BodySite::from_code(code);
                if site.is_none() {
                    errors.push(FieldError::new(
                        "body_site",
                        "Choose a body site from the list",
                    ));
                }
                site
            }
        };
        let device = match query.device.trim() {
            "" => None,
            identifier if identifier.chars().count() > MAX_IDENTIFIER => {
                errors.push(FieldError::new(
                    "device",
                    "A device identifier has at most 50 characters",
                ));
                None
            }
            identifier => Some(identifier.to_string()),
        };
        if !errors.is_empty() {
            return Err(ApiError::Invalid { errors });
        }
        Ok(Self {
            as_of,
            body_site,
            device,
            from,
            to,
        })
    }

    /// Whether a procedure falls in the date range (and the site, if one is chosen).
    pub(super) fn takes(&self, event: &ProcedureEvent) -> bool {
        self.from.is_none_or(|from| event.date >= from)
            && event.date <= self.to
            && self.body_site.is_none_or(|site| event.body_site == site)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(as_of: &str, from: &str, to: &str, site: &str) -> StatisticsQuery {
        StatisticsQuery {
            as_of: as_of.into(),
            body_site: site.into(),
            device: String::new(),
            from: from.into(),
            to: to.into(),
        }
    }

    fn fields(result: Result<Filters, ApiError>) -> Vec<String> {
        match result {
            Err(ApiError::Invalid { errors }) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("expected invalid filters, got {other:?}"),
        }
    }

    #[test]
    fn defaults_are_today_and_the_whole_registry() {
        let today = CalendarDate::new(2026, 12, 1).unwrap();
        let filters = Filters::parse(&StatisticsQuery::default(), today).unwrap();
        assert_eq!(
            (filters.as_of, filters.to, filters.from),
            (today, today, None)
        );
        assert_eq!((filters.body_site, filters.device), (None, None));
        // The range ends at the analysis date at the latest.
        let filters =
            Filters::parse(&query("2020-01-01", "", "2024-01-01", "knee"), today).unwrap();
        assert_eq!(filters.to, CalendarDate::new(2020, 1, 1).unwrap());
        assert_eq!(filters.body_site, Some(BodySite::Knee));
    }

    #[test]
    fn every_problem_is_named_on_its_field() {
        let today = CalendarDate::new(2026, 12, 1).unwrap();
        assert_eq!(
            fields(Filters::parse(
                &query("2027-01-01", "nonsense", "", "elbowish"),
                today
            )),
            ["as_of", "from", "body_site"]
        );
        assert_eq!(
            fields(Filters::parse(
                &query("", "2026-06-01", "2026-01-01", ""),
                today
            )),
            ["from"]
        );
        assert_eq!(
            fields(Filters::parse(&query("1989-12-31", "", "", ""), today)),
            ["as_of"]
        );
    }
}
