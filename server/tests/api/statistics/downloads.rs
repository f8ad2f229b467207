//! Figures as files: every figure as CSV (controlled for the public, exact and audited for
//! administrators), and the analysts' extract.

use app::api::patients::DataFile;
use app::api::session::Role;
use app::api::statistics::StatisticsFigure;
use reqwest::StatusCode;
use serde_json::json;

use super::{COUNTS, PROCEDURES, registry};
use crate::helpers::Browser;
use crate::responses::ok;

/// `figure` with the default filters, as `viewer` downloads it.
async fn download(viewer: &Browser<'_>, figure: StatisticsFigure) -> DataFile {
    ok(viewer
        .call_json("statistics/csv", &json!({ "figure": figure, "query": {} }))
        .await)
    .await
}

#[tokio::test]
async fn every_figure_downloads_as_csv_and_exact_downloads_are_audited() {
    let app = registry().await;
    let public = Browser::new(&app);
    for figure in [
        "volumes",
        "site_survival",
        "device_survival",
        "revision_rates",
        "funnel",
        "completeness",
    ] {
        let response = public
            .call_json("statistics/csv", &json!({ "figure": figure, "query": {} }))
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{figure}");
        let file: DataFile = response.json().await.unwrap();
        assert!(file.file_name.ends_with(".csv"));
        let mut reader = csv::Reader::from_reader(file.content.as_bytes());
        let header = reader.headers().unwrap().clone();
        assert_eq!(header.iter().next_back(), Some("figures"));
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert!(!rows.is_empty(), "{figure} has rows");
        assert!(rows.iter().all(|row| row.len() == header.len()));
        // Counts in the file follow the public rule too.
        for (index, column) in header.iter().enumerate() {
            if !COUNTS.contains(&column) && column != "revisions_and_removals" {
                continue;
            }
            for row in &rows {
                let cell = &row[index];
                assert!(
                    cell == "1–7" || cell.parse::<u64>().is_ok_and(|n| n % 5 == 0),
                    "{figure}: {column} = {cell}"
                );
            }
        }
    }
    assert!(
        !app.audit_actions()
            .await
            .iter()
            .any(|action| action == "statistics.downloaded")
    );
    let admin = app
        .signed_in("admin@example.test", Role::RegistryAdmin, None)
        .await;
    let file = download(&admin, StatisticsFigure::Volumes).await;
    assert!(file.file_name.contains("not-for-publication"));
    assert!(file.content.contains("exact counts: not for publication"));
    assert!(
        app.audit_actions()
            .await
            .iter()
            .any(|action| action == "statistics.downloaded")
    );
}

#[tokio::test]
async fn the_extract_has_the_analysts_columns_one_row_per_procedure_and_is_audited() {
    let app = registry().await;
    let out = app.data_dir.path().join("extract.csv");
    let rows = server::cli::extract::write(&app.state.database, &out)
        .await
        .unwrap();
    assert_eq!(rows, PROCEDURES);
    let mut reader = csv::Reader::from_path(&out).unwrap();
    // The analysts' contract, spelled out here rather than taken from the code that writes it.
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "procedure_id",
            "patient_pseudonym",
            "procedure_date",
            "procedure_type",
            "body_site",
            "laterality",
            "device_identifiers",
            "year_of_birth",
            "sex",
            "clinic",
        ]
    );
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len() as u64, PROCEDURES);
    let first_id: i64 = app.sql_scalar("SELECT MIN(id) FROM procedures").await;
    let first = &records[0];
    assert_eq!(first[0].parse::<i64>().unwrap(), first_id);
    // Codes as stored; several devices joined by ';' in component order.
    let stored: String = app
        .sql_scalar(&format!(
            "SELECT procedure_type || ' ' || body_site || ' ' || laterality || ' ' || procedure_date FROM procedure_versions WHERE procedure_id = {first_id}"
        ))
        .await;
    assert_eq!(
        format!("{} {} {} {}", &first[3], &first[4], &first[5], &first[2]),
        stored
    );
    let components: Vec<String> = app
        .sql_column(&format!(
            "SELECT c.device_identifier FROM procedure_components c JOIN procedure_versions v ON v.id = c.version_id \
             WHERE v.procedure_id = {first_id} ORDER BY c.position"
        ))
        .await;
    assert_eq!(&first[6], components.join(";"));
    assert!(
        records.iter().any(|record| record[1].is_empty()),
        "no consent: no pseudonym"
    );
    assert!(
        records
            .iter()
            .all(|record| ["primary", "revision", "removal"].contains(&&record[3]))
    );
    assert!(
        app.audit_actions()
            .await
            .iter()
            .any(|action| action == "statistics.extracted")
    );
    // An existing file is never overwritten.
    assert!(
        server::cli::extract::write(&app.state.database, &out)
            .await
            .is_err()
    );
}
