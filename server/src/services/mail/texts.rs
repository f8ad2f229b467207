//! The words of every email the portal sends, in one place. Names in them have passed
//! `domain::names` (no control characters, no web addresses), so a name cannot add lines or
//! links of its own to a message.

use super::Message;

pub fn invitation(display_name: &str, link: &str) -> Message {
    Message {
        subject: "Your Implant Registry account".into(),
        body: format!(
            "Dear {display_name},\n\nYou have been invited to the Implant Registry. Choose your password and set up your authenticator app here (the link works once, for 7 days):\n\n{link}\n\nIf you did not expect this, you can ignore this email."
        ),
    }
}

pub fn authenticator_reset(display_name: &str, link: &str) -> Message {
    Message {
        subject: "Set up your authenticator app again".into(),
        body: format!(
            "Dear {display_name},\n\nYour organisation's manager (or the registry) has reset the authenticator app of your Implant Registry account, and you have been signed out everywhere. To sign in again, choose your password and set up your authenticator app here (the link works once, for 7 days):\n\n{link}\n\nIf you did not ask for this, contact your organisation's manager or the registry helpdesk."
        ),
    }
}

/// To a clinic's manager: a patient says their record is wrong. The patient's words are quoted
/// as they wrote them; nothing in them is a link the portal made.
pub fn mistake_reported(
    manager: &str,
    record_id: i64,
    link: &str,
    patient_email: &str,
    report: &str,
) -> Message {
    let quoted: String = report.lines().map(|line| format!("> {line}\n")).collect();
    Message {
        subject: format!("A patient reports a mistake in record {record_id}"),
        body: format!(
            "Dear {manager},\n\nThe patient whose record {record_id} your clinic made says something in it is wrong:\n\n{quoted}\nOpen the record (signed in to the Implant Registry) here:\n\n{link}\n\nIf a correction is needed, use \"Correct this record\" there. To reply to the patient, write to {patient_email}. Do not follow links in the patient's message."
        ),
    }
}

pub fn registration(display_name: &str, link: &str) -> Message {
    Message {
        subject: "Finish creating your Implant Registry account".into(),
        body: format!(
            "Dear {display_name},\n\nTo finish creating your Implant Registry account, choose your password here (the link works once, for 7 days):\n\n{link}\n\nThen sign in and add your record with the claim code from your implant card.\n\nIf you did not ask for an account, ignore this email: no account will be made."
        ),
    }
}

pub fn already_registered(display_name: &str) -> Message {
    Message {
        subject: "You already have an Implant Registry account".into(),
        body: format!(
            "Dear {display_name},\n\nSomeone (probably you) asked to create an Implant Registry account with this address, which already has one. Sign in with it, or use \"Forgot your password?\" on the sign-in page.\n\nIf it was not you, you can ignore this email."
        ),
    }
}

pub fn password_reset(display_name: &str, link: &str) -> Message {
    Message {
        subject: "Reset your Implant Registry password".into(),
        body: format!(
            "Dear {display_name},\n\nSomeone asked to reset the password of your Implant Registry account. If it was you, choose a new password here (the link works once, for 30 minutes):\n\n{link}\n\nYou will still need your authenticator app to sign in. If you did not ask for this, ignore this email: your password has not changed."
        ),
    }
}

/// After an authenticator is set up: `replaced` when it took the place of another one.
pub fn authenticator_set_up(display_name: &str, replaced: bool) -> Message {
    let what = if replaced {
        "A new authenticator app was set up for your Implant Registry account in place of the old one, and every other session of your account was signed out."
    } else {
        "An authenticator app was set up for your Implant Registry account."
    };
    Message {
        subject: "An authenticator app was set up for your Implant Registry account".into(),
        body: format!(
            "Dear {display_name},\n\n{what}\n\nIf this was you, there is nothing to do. If it was not, reset your password from the sign-in page at once and contact the registry helpdesk."
        ),
    }
}

/// To a clinic's managers when a safety notice concerning its records is published. It names
/// the notice and how many records, never a patient.
pub fn notice_for_clinic(
    display_name: &str,
    reference: &str,
    title: &str,
    version: u32,
    affected: u64,
    possibly_affected: u64,
    link: &str,
) -> Message {
    let updated = if version > 1 {
        format!(" (updated: version {version})")
    } else {
        String::new()
    };
    let possibly = match possibly_affected {
        0 => String::new(),
        1 => {
            " and 1 more record that may be concerned: its lot, serial number or dates are missing"
                .into()
        }
        n => format!(
            " and {n} more records that may be concerned: their lot, serial number or dates are missing"
        ),
    };
    Message {
        subject: format!("Safety notice {reference}{updated}: action needed"),
        body: format!(
            "Dear {display_name},\n\nThe Implant Registry has published safety notice {reference}{updated}: {title}.\n\nIt concerns {affected} of your clinic's records{possibly}.\n\nSign in to see the records and what to do, and record what was done for each patient:\n\n{link}\n\nThis email does not name any patient."
        ),
    }
}

/// To a linked patient whose implant a published safety notice concerns: no health details,
/// only that there is something to read once signed in.
pub fn notice_for_patient(display_name: &str, link: &str) -> Message {
    Message {
        subject: "New information about your implant".into(),
        body: format!(
            "Dear {display_name},\n\nThere is new information about your implant. Sign in to read it:\n\n{link}\n\nFor your privacy, this email does not contain any health details."
        ),
    }
}
