//! The registry statistics on a national-sized analysis set: 1,000,000 synthetic primaries
//! (and their revisions) from a seeded generator, so every run sees the same data.
//! Run: `cargo bench -p domain --bench statistics`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use domain::calendar::CalendarDate;
use domain::procedure::{BodySite, Laterality, ProcedureType};
use domain::statistics::{
    AnalysisSet, ClinicKey, ComponentTally, DeviceKey, PatientKey, ProcedureEvent,
};

const PRIMARIES: u32 = 1_000_000;
const DEVICES_PER_SITE: u32 = 1_500;

/// SplitMix64: tiny, seeded, good enough for synthetic data.
struct Generator(u64);

impl Generator {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in 0..bound.
    fn below(&mut self, bound: u32) -> u32 {
        (((self.next() >> 32) * u64::from(bound)) >> 32) as u32
    }

    fn chance(&mut self, percent: u32) -> bool {
        self.below(100) < percent
    }
}

fn synthetic_events() -> (Vec<ProcedureEvent>, CalendarDate) {
    let mut random = Generator(14);
    let first_day = CalendarDate::new(2005, 1, 1).unwrap().days_since_epoch();
    let as_of = CalendarDate::new(2026, 1, 1).unwrap();
    let span = as_of.days_since_epoch() - first_day;
    let sites = [
        (BodySite::Hip, 45),
        (BodySite::Knee, 45),
        (BodySite::Shoulder, 5),
        (BodySite::Ankle, 2),
        (BodySite::Elbow, 3),
    ];
    let mut events = Vec::with_capacity(PRIMARIES as usize * 21 / 20);
    for index in 0..PRIMARIES {
        let mut pick = random.below(100);
        let (site_index, site) = sites
            .iter()
            .enumerate()
            .find_map(|(i, &(site, share))| {
                if pick < share {
                    Some((i as u32, site))
                } else {
                    pick -= share;
                    None
                }
            })
            .unwrap_or((0, BodySite::Hip));
        // Popular devices are used far more often: the square of a uniform skews to 0.
        let mut devices = Vec::new();
        for _ in 0..2 + random.below(3) {
            let uniform = random.below(DEVICES_PER_SITE);
            let skewed = uniform * uniform / DEVICES_PER_SITE;
            devices.push(DeviceKey(site_index * DEVICES_PER_SITE + skewed));
        }
        // One patient in ten has a second primary (the previous index's patient), nine times
        // in ten on the other side; the rest repeat a side and supersede the first. 7 % did
        // not consent.
        let second = index % 2 == 1 && random.chance(20);
        let laterality = match (second, random.chance(90)) {
            (true, true) | (false, false) => Laterality::Right,
            _ => Laterality::Left,
        };
        let owner = if second { index - 1 } else { index };
        let patient = random.chance(93).then_some(PatientKey(u64::from(owner)));
        let day = first_day + random.below(span as u32) as i32;
        let date = CalendarDate::from_days_since_epoch(day).unwrap();
        let clinic = ClinicKey(random.below(400));
        let primary = ProcedureEvent {
            procedure_id: i64::from(index),
            patient,
            date,
            kind: ProcedureType::Primary,
            body_site: site,
            laterality,
            clinic,
            devices,
            components: ComponentTally {
                recorded: 3,
                matched_to_register: 2 + u16::from(random.chance(90)),
                with_lot_or_serial: 3,
            },
        };
        // About 5 % are revised some time before the analysis date; the worst devices more.
        let revision_chance = if primary.devices[0].0.is_multiple_of(97) {
            15
        } else {
            5
        };
        if random.chance(revision_chance) {
            let left = as_of.days_since_epoch() - day;
            let revision_day = day + random.below(left.max(1) as u32) as i32;
            let revision_date = CalendarDate::from_days_since_epoch(revision_day).unwrap();
            events.push(ProcedureEvent {
                procedure_id: i64::from(PRIMARIES + index),
                date: revision_date,
                kind: ProcedureType::Revision,
                devices: Vec::new(),
                ..primary.clone()
            });
        }
        events.push(primary);
    }
    (events, as_of)
}

fn bench(c: &mut Criterion) {
    let (events, as_of) = synthetic_events();
    let set = AnalysisSet::build(&events, as_of);
    // The device with most primaries: the slowest single-device survival.
    let busiest = *set
        .devices()
        .iter()
        .max_by_key(|device| set.revision_rate_for_device(**device).component_years as u64)
        .unwrap_or(&DeviceKey(0));
    let screen = set.outlier_screen();
    eprintln!(
        "{} events, {:?}; {} devices; busiest device {:?} with {} primaries; {} screened, {} flagged",
        events.len(),
        set.linkage(),
        set.devices().len(),
        busiest,
        set.survival_for_device(busiest).primaries,
        screen.len(),
        screen.iter().filter(|row| row.flagged).count(),
    );

    let mut group = c.benchmark_group("statistics (1,000,000 primaries)");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("linkage and build", |b| {
        b.iter(|| AnalysisSet::build(black_box(&events), as_of))
    });
    group.bench_function("survival for the busiest device", |b| {
        b.iter(|| set.survival_for_device(black_box(busiest)))
    });
    group.bench_function("survival for all hips", |b| {
        b.iter(|| set.survival_for_body_site(black_box(BodySite::Hip)))
    });
    group.bench_function("outlier screen over all devices", |b| {
        b.iter(|| set.outlier_screen())
    });
    group.bench_function("funnel for hips (100 points)", |b| {
        b.iter(|| set.funnel_for_body_site(BodySite::Hip, 100))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
