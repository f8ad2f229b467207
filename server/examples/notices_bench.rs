//! Safety notices and the device register at national scale (issue 13): prints figures (it
//! is not a pass/fail test).
//!
//! ```sh
//! cargo run --release -p server --example notices_bench                       # 1M procedures
//! MDIS_BENCH_DIR=/tmp/scale-bench cargo run --release -p server --example notices_bench -- 100000 1000000
//! NOTICES_BENCH_GUDID_ROWS=100000 cargo run --release -p server --example notices_bench -- 0  # import only
//! scripts/with-postgres sh -c 'MDIS_BENCH_POSTGRES_URL=$MDIS_TEST_POSTGRES_URL \
//!   cargo run --release -p server --example notices_bench -- 1000000'  # PostgreSQL instead
//! ```
//!
//! For each size: the synthetic registry (seed 14; the one `statistics_bench` left in
//! `MDIS_BENCH_DIR/sqlite-N` when set, else filled here), then published notices of several
//! kinds and the time to work out each one's affected list over every procedure's current
//! version (the indexed candidate queries and the domain's match, as publishing does). Then
//! the GUDID import rate: a generated `device.txt` of 100,000 devices with its
//! `identifiers.txt` (each device's primary DI, and a package DI for every tenth), imported
//! into an empty register, then imported again (nothing changes).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use app::api::session::Role;
use domain::calendar::CalendarDate;
use domain::register::{
    CodeKind, CodeList, CodeRange, DeviceIdentifier, DeviceScope, NoticeDraft, NoticeScope,
    Selection,
};
use domain::udi::IssuingAgency;
use server::app::AppState;
use server::db::{imports, notice_match, notices, users};
use server::services::notices::matching::concerned_records;
use server::services::register::importer::{self, Actor, Source};
use server::synthetic::catalogue::DEVICES;

mod support;

use support::seconds;

/// A registry administrator to publish the notices as.
async fn administrator(state: &AppState) -> i64 {
    let email = "bench.administrator@example.test";
    let mut transaction = state.database.write().await.expect("write");
    let id = match users::by_email(&mut transaction, email)
        .await
        .expect("look up")
    {
        Some(account) => account.id,
        None => users::insert(
            &mut transaction,
            users::NewUser {
                email,
                display_name: "Benchmark administrator",
                role: Role::RegistryAdmin,
                organisation_id: None,
                password_hash: None,
                first_enrolment_by_password: false,
            },
        )
        .await
        .expect("insert")
        .expect("a new account"),
    };
    transaction.commit().await.expect("commit");
    id
}

fn draft(reference: String, devices: Vec<DeviceScope>) -> NoticeDraft {
    NoticeDraft {
        reference,
        title: "Benchmark notice".into(),
        manufacturer_reference: "BENCH".into(),
        fsn_date: CalendarDate::new(2026, 6, 1).expect("a date"),
        problem: "A benchmark.".into(),
        risk: "None.".into(),
        clinic_action: "None.".into(),
        patient_action: "None.".into(),
        scope: NoticeScope { devices },
    }
}

fn device(index: usize, selection: Selection) -> DeviceScope {
    DeviceScope {
        device_identifier: DeviceIdentifier::parse(IssuingAgency::Gs1, &DEVICES[index].gtin())
            .expect("a synthetic GTIN"),
        selection,
        manufactured: None,
        expiry: None,
    }
}

async fn affected_lists(procedures: u64, postgres: Option<&str>) {
    let (_, state, _folder) =
        support::open_registry(procedures, postgres, "mdis_notices_bench").await;
    println!(
        "\n{procedures} synthetic procedures on {}",
        state.database.engine().name()
    );
    support::fill_registry(&state, procedures, "synthetic registry written (bulk)", 56).await;
    let by = administrator(&state).await;
    let run = state.database.now().unix_seconds();
    let lots = |first: &str, last: &str| Selection::LotRange {
        range: CodeRange::new(first, last, CodeKind::Lot).expect("a lot range"),
    };
    let cases: Vec<(&str, Vec<DeviceScope>)> = vec![
        (
            "one device, a year's lots (range)",
            vec![device(0, lots("L2400000", "L2499999"))],
        ),
        (
            "one device, three listed lots",
            vec![device(
                0,
                Selection::Lots {
                    lots: CodeList::from(vec![
                        "L2400017".to_string(),
                        "L2412345".to_string(),
                        "L2554321".to_string(),
                    ]),
                },
            )],
        ),
        (
            "two devices, two years' lots each",
            vec![
                device(0, lots("L2300000", "L2499999")),
                device(1, lots("L2300000", "L2499999")),
            ],
        ),
        (
            "one device, every unit",
            vec![device(0, Selection::AllUnits)],
        ),
    ];
    for (number, (what, devices)) in cases.into_iter().enumerate() {
        let mut transaction = state.database.write().await.expect("write");
        let notice = server::services::notices::record_published(
            &mut transaction,
            &draft(format!("BENCH-{run}-{number}"), devices),
            by,
        )
        .await
        .expect("publish");
        transaction.commit().await.expect("commit");
        let mut connection = state.database.read().await.expect("read");
        let notice = notices::get(&mut connection, notice)
            .await
            .expect("notice")
            .expect("stored");
        let version = notices::versions(&mut connection, &notice)
            .await
            .expect("versions")
            .remove(0);
        if number == 0 {
            let criterion = notice_match::criteria_of(&mut connection, version.id)
                .await
                .expect("criteria")
                .remove(0);
            let plan = notice_match::explain_candidates(&mut connection, &criterion)
                .await
                .expect("plan");
            println!("    (candidate query plan: {})", plan.replace('\n', "; "));
        }
        // Twice: the first reads pages from disk, the second from the page cache.
        for attempt in ["first", "again"] {
            let started = Instant::now();
            let records =
                concerned_records(&mut connection, version.id, &version.content.scope, None)
                    .await
                    .expect("affected list");
            let took = started.elapsed();
            let affected = records.iter().filter(|record| record.is_affected()).count();
            let label = format!("affected list: {what} ({attempt})");
            println!("  {label:<56} {}", seconds(took));
            if attempt == "first" {
                println!(
                    "    ({affected} affected, {} possibly affected records)",
                    records.len() - affected
                );
            }
        }
    }
    state.database.close().await;
}

/// The first 13 digits of the `n`th generated device's GTIN.
fn generated_gtin(n: usize) -> String {
    server::seed::demo_gtin(&format!("{:013}", 4_006_000_000_000u64 + n as u64))
}

/// A GUDID `device.txt` of `rows` devices and its `identifiers.txt`, in the release's format.
fn write_gudid(folder: &Path, rows: usize) -> (PathBuf, PathBuf, usize) {
    let devices = folder.join("device.txt");
    let identifiers = folder.join("identifiers.txt");
    let mut device_text = String::from(
        "PrimaryDI|publicDeviceRecordKey|publicVersionStatus|deviceRecordStatus|publicVersionNumber|publicVersionDate|devicePublishDate|deviceCommDistributionEndDate|deviceCommDistributionStatus|brandName|versionModelNumber|catalogNumber|dunsNumber|companyName|deviceCount|deviceDescription|DMExempt|premarketExempt|deviceHCTP|deviceKit|deviceCombinationProduct|singleUse|lotBatch|serialNumber|manufacturingDate|expirationDate|donationIdNumber|labeledContainsNRL|labeledNoNRL|MRISafetyStatus|rx|otc|deviceSterile|sterilizationPriorToUse\n",
    );
    let mut identifier_text = String::from(
        "PrimaryDI|deviceId|deviceIdType|deviceIdIssuingAgency|containsDINumber|pkgQuantity|pkgDiscontinueDate|pkgStatus|pkgType\n",
    );
    let mut identifier_rows = 0;
    for n in 0..rows {
        let primary = generated_gtin(2 * n);
        writeln!(
            device_text,
            "{primary}|bench-{n:08}-0000-4000-8000-000000000000|Update|Published|1|2025-03-01|2024-01-15||In Commercial Distribution|Bench Implant {n}|BI-{n}|BI-{n}-A|123456789|Benchmark Orthopaedics Ltd|1|Generated device {n}|false|false|false|false|false|true|true|false|false|true|false|false|true|MR Conditional|true|false|true|false"
        )
        .expect("text");
        writeln!(identifier_text, "{primary}|{primary}|Primary|GS1|||||").expect("text");
        identifier_rows += 1;
        if n % 10 == 0 {
            let package = generated_gtin(2 * n + 1);
            writeln!(
                identifier_text,
                "{primary}|{package}|Package|GS1|{primary}|10|||Box"
            )
            .expect("text");
            identifier_rows += 1;
        }
    }
    std::fs::write(&devices, device_text).expect("write device.txt");
    std::fs::write(&identifiers, identifier_text).expect("write identifiers.txt");
    (devices, identifiers, identifier_rows)
}

async fn gudid_import(rows: usize, postgres: Option<&str>) {
    let files = tempfile::tempdir().expect("a temporary folder");
    let (devices, identifiers, identifier_rows) = write_gudid(files.path(), rows);
    let data = tempfile::tempdir().expect("a temporary folder");
    let name = format!("mdis_bench_gudid_{}", std::process::id());
    let (_, state) = support::open(data.path(), postgres.map(|admin| (admin, name.as_str()))).await;
    println!(
        "\nGUDID import: {rows} devices in device.txt, {identifier_rows} rows in identifiers.txt, into an empty register ({})",
        state.database.engine().name()
    );
    let source = Source::Gudid {
        devices: devices.clone(),
        identifiers: identifiers.clone(),
    };
    let names = vec![
        devices.display().to_string(),
        identifiers.display().to_string(),
    ];
    for attempt in ["first import", "same files again (no change)"] {
        let import_id = server::auth::tokens::new_token()[..24].to_string();
        let mut transaction = state.database.write().await.expect("write");
        imports::insert(&mut transaction, &import_id, "gudid", "[]", None)
            .await
            .expect("import row");
        imports::change_state(&mut transaction, &import_id, "uploading", "running")
            .await
            .expect("import state");
        transaction.commit().await.expect("commit");
        let started = Instant::now();
        let report = importer::run(
            &state.database,
            &import_id,
            &source,
            &names,
            Actor {
                principal: None,
                client_ip: None,
            },
        )
        .await
        .map_err(|error| app::api::ApiError::from(error).to_string())
        .expect("import");
        let took = started.elapsed();
        let total: u64 = report.files.iter().map(|file| file.rows).sum();
        let added: u64 = report.files.iter().map(|file| file.added).sum();
        let unchanged: u64 = report.files.iter().map(|file| file.unchanged).sum();
        let rejected: u64 = report.files.iter().map(|file| file.rejected_total).sum();
        println!(
            "  {attempt:<40} {} ({total} rows: {added} added, {unchanged} unchanged, {rejected} rejected) {:>9.0} rows/s",
            seconds(took),
            total as f64 / took.as_secs_f64().max(1e-9)
        );
    }
    state.database.close().await;
}

#[tokio::main]
async fn main() {
    let sizes = support::sizes(&[1_000_000]);
    println!(
        "Safety notices and device register benchmark ({} cores)",
        support::cores()
    );
    // One engine a run: SQLite, or the PostgreSQL server named.
    let postgres = std::env::var("MDIS_BENCH_POSTGRES_URL").ok();
    for &size in sizes.iter().filter(|size| **size > 0) {
        affected_lists(size, postgres.as_deref()).await;
    }
    let rows = std::env::var("NOTICES_BENCH_GUDID_ROWS")
        .ok()
        .map(|rows| rows.parse().expect("a number of rows"))
        .unwrap_or(100_000);
    if rows > 0 {
        gudid_import(rows, postgres.as_deref()).await;
    }
}
