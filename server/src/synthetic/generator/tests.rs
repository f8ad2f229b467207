use super::*;
use crate::synthetic::catalogue::DEVICES;

fn plan(procedures: u64, seed: u64) -> Plan {
    Plan {
        procedures,
        seed,
        end: CalendarDate::new(2026, 6, 30).unwrap(),
    }
}

#[test]
fn the_same_seed_gives_the_same_registry_and_another_seed_another() {
    let first: Vec<_> = Generator::new(&plan(3_000, 7)).collect();
    let again: Vec<_> = Generator::new(&plan(3_000, 7)).collect();
    let other: Vec<_> = Generator::new(&plan(3_000, 8)).collect();
    assert_eq!(first.len(), 3_000);
    assert_eq!(first, again);
    assert_ne!(first, other);
}

#[test]
fn looks_like_a_registry() {
    let procedures: Vec<_> = Generator::new(&plan(20_000, 14)).collect();
    let end = CalendarDate::new(2026, 6, 30).unwrap();
    let start = CalendarDate::new(2011, 6, 29).unwrap();
    assert!(procedures.iter().all(|p| p.date <= end && p.date >= start));
    let primaries = procedures
        .iter()
        .filter(|p| p.kind == ProcedureType::Primary)
        .count();
    let share = |count: usize, of: usize| count as f64 / of as f64;
    // Mostly primaries; revisions and removals a few per cent.
    assert!(share(primaries, procedures.len()) > 0.9);
    assert!(share(primaries, procedures.len()) < 0.99);
    // About 93 % consent.
    let consented = procedures.iter().filter(|p| p.pseudonym.is_some()).count();
    let consent = share(consented, procedures.len());
    assert!((0.90..0.96).contains(&consent), "{consent}");
    // About 5 % of components without lot or serial.
    let components: Vec<_> = procedures.iter().flat_map(|p| &p.components).collect();
    let missing = components
        .iter()
        .filter(|c| c.lot.is_none() && c.serial.is_none())
        .count();
    let missing = share(missing, components.len());
    assert!((0.02..0.08).contains(&missing), "{missing}");
    // Every site, every clinic, later years busier than the first.
    for site in [BodySite::Hip, BodySite::Knee, BodySite::Breast] {
        assert!(procedures.iter().any(|p| p.body_site == site));
    }
    for clinic in 0..CLINICS.len() {
        assert!(procedures.iter().any(|p| p.clinic == clinic));
    }
    let in_year = |year| procedures.iter().filter(|p| p.date.year() == year).count();
    assert!(in_year(2025) > 2 * in_year(2012));
    // Components are valid GTINs; pseudonyms look like the registry's.
    for component in &components {
        assert!(domain::udi::Gtin::parse(&component.device_identifier).is_ok());
    }
    for pseudonym in procedures.iter().filter_map(|p| p.pseudonym.clone()) {
        assert!(domain::pseudonym::Pseudonym::try_from(pseudonym).is_ok());
    }
    // Every procedure has components and revisions have reasons.
    for procedure in &procedures {
        assert!(!procedure.components.is_empty());
        assert_eq!(
            procedure.kind == ProcedureType::Primary,
            procedure.revision_reasons.is_empty()
        );
    }
}

#[test]
fn worse_devices_are_revised_more() {
    // The Apex metal cup (hazard 3.5) against the Arden cup (0.8), revisions per primary.
    let procedures: Vec<_> = Generator::new(&plan(60_000, 3)).collect();
    let revised_share = |gtin: &str| {
        let mut primaries = 0;
        let mut revised = 0;
        for (index, procedure) in procedures.iter().enumerate() {
            if procedure.kind != ProcedureType::Primary
                || procedure.pseudonym.is_none()
                || !procedure
                    .components
                    .iter()
                    .any(|c| c.device_identifier == gtin)
            {
                continue;
            }
            primaries += 1;
            // The patient's next procedure on this side, if a revision, follows it.
            revised += procedures[index + 1..].iter().take(4).any(|later| {
                later.kind != ProcedureType::Primary
                    && later.pseudonym == procedure.pseudonym
                    && later.laterality == procedure.laterality
                    && later.body_site == procedure.body_site
            }) as u32;
        }
        f64::from(revised) / f64::from(primaries.max(1))
    };
    let apex = DEVICES
        .iter()
        .find(|d| d.name.starts_with("Apex resurfacing"))
        .unwrap();
    let arden = DEVICES
        .iter()
        .find(|d| d.name.starts_with("Arden press-fit"))
        .unwrap();
    assert!(revised_share(&apex.gtin()) > 2.0 * revised_share(&arden.gtin()));
}
