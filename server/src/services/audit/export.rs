//! The audit trail as a CSV file for administrators: one row per entry, in the words the page
//! uses (UK time, people by name, actions as sentences) and the stored codes beside them.

use app::api::audit::AuditEntry;
use domain::uk_time::uk_time;

use crate::export::defused;

/// At most this many entries in one download (the newest): enough for a month of a busy
/// registry; narrow the dates for more.
pub const MOST_ROWS: u32 = 50_000;

pub const COLUMNS: [&str; 11] = [
    "Entry",
    "When (UK time)",
    "When (UTC)",
    "Who",
    "Email address",
    "What happened",
    "Action code",
    "On",
    "From address",
    "Details",
    "Role",
];

pub fn csv(entries: &[AuditEntry]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer
        .write_record(COLUMNS)
        .expect("writing to memory cannot fail");
    for entry in entries {
        let row = [
            entry.id.to_string(),
            uk_time(&entry.at),
            entry.at.clone(),
            entry.who(),
            entry.actor.clone().unwrap_or_default(),
            entry.sentence(),
            entry.action.clone(),
            entry.target.clone().unwrap_or_default(),
            entry.client_ip.clone().unwrap_or_default(),
            entry.details.clone(),
            entry.actor_role.clone().unwrap_or_default(),
        ];
        writer
            .write_record(row.iter().map(|cell| defused(cell)))
            .expect("writing to memory cannot fail");
    }
    String::from_utf8(writer.into_inner().expect("writing to memory cannot fail"))
        .expect("the cells are text")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_in_words_with_the_codes_beside_them() {
        let entry = AuditEntry {
            id: 9,
            at: "2026-11-20T14:02:31.123Z".into(),
            actor: Some("mo@example.test".into()),
            actor_name: Some("Mo Manager".into()),
            actor_role: Some("clinic_manager".into()),
            action: "account.disabled".into(),
            target: Some("user 4".into()),
            target_name: Some("Dr Demo".into()),
            details: "{\"sessions_ended\":1}".into(),
            client_ip: Some("=1+2".into()),
        };
        let table = csv(&[entry]);
        let lines: Vec<&str> = table.split("\r\n").collect();
        assert_eq!(lines[0], COLUMNS.join(","));
        assert_eq!(
            lines[1],
            "9,20 November 2026 at 2:02pm,2026-11-20T14:02:31.123Z,Mo Manager (Clinic manager),mo@example.test,Disabled an account: Dr Demo,account.disabled,user 4,'=1+2,\"{\"\"sessions_ended\"\":1}\",clinic_manager"
        );
    }
}
