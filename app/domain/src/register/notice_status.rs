//! A safety notice's life: a draft is published (version 1), corrected by publishing new
//! versions, and closed when the action is complete. A notice is never deleted: clinics'
//! acknowledgements and the record of who was told what refer to it.

use serde::{Deserialize, Serialize};

/// Where a notice is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum NoticeStatus {
    Draft,
    /// Seen by clinics; `version` counts from 1.
    Published {
        version: u32,
    },
    /// Kept as it was when closed.
    Closed {
        version: u32,
    },
}

/// What an administrator asks to do with a notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeAction {
    Publish,
    PublishNewVersion,
    Close,
    Delete,
}

/// A transition the lifecycle does not allow, and what to do instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct TransitionRefused {
    pub from: NoticeStatus,
    pub action: NoticeAction,
    pub message: String,
}

impl NoticeStatus {
    /// The status after `action`, or why it cannot be done.
    pub fn apply(self, action: NoticeAction) -> Result<NoticeStatus, TransitionRefused> {
        use NoticeAction::*;
        use NoticeStatus::*;
        let refuse = |message: &str| {
            Err(TransitionRefused {
                from: self,
                action,
                message: message.to_string(),
            })
        };
        match (self, action) {
            (_, Delete) => refuse(
                "Safety notices are never deleted: clinics' acknowledgements refer to them. Close it instead, or leave the draft unpublished",
            ),
            (Draft, Publish) => Ok(Published { version: 1 }),
            (Draft, PublishNewVersion) => {
                refuse("This notice has not been published yet: publish it first")
            }
            (Draft, Close) => refuse(
                "A draft cannot be closed: it was never published. Publish it, or leave it as a draft",
            ),
            (Published { .. }, Publish) => {
                refuse("This notice is already published: to change it, publish a new version")
            }
            (Published { version }, PublishNewVersion) => Ok(Published {
                version: version.saturating_add(1),
            }),
            (Published { version }, Close) => Ok(Closed { version }),
            (Closed { .. }, _) => refuse(
                "This notice is closed and is kept as it was: to say more, create a new notice that refers to it",
            ),
        }
    }

    /// The version in force: none for a draft.
    pub fn version(self) -> Option<u32> {
        match self {
            Self::Draft => None,
            Self::Published { version } | Self::Closed { version } => Some(version),
        }
    }

    /// Clinics see published and closed notices, never drafts.
    pub fn is_visible_to_clinics(self) -> bool {
        !matches!(self, Self::Draft)
    }

    pub fn label(self) -> String {
        match self {
            Self::Draft => "Draft".to_string(),
            Self::Published { version } => format!("Published (version {version})"),
            Self::Closed { version } => format!("Closed (version {version})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::NoticeAction::*;
    use super::NoticeStatus::*;
    use super::*;

    #[test]
    fn draft_published_new_versions_then_closed() {
        let published = Draft.apply(Publish).unwrap();
        assert_eq!(published, Published { version: 1 });
        let corrected = published.apply(PublishNewVersion).unwrap();
        assert_eq!(corrected, Published { version: 2 });
        let closed = corrected.apply(Close).unwrap();
        assert_eq!(closed, Closed { version: 2 });
        assert_eq!(closed.label(), "Closed (version 2)");
        assert_eq!((Draft.version(), closed.version()), (None, Some(2)));
        assert!(!Draft.is_visible_to_clinics());
        assert!(closed.is_visible_to_clinics());
    }

    #[test]
    fn invalid_transitions_are_refused_with_what_to_do_instead() {
        let refused = |status: NoticeStatus, action| status.apply(action).unwrap_err().message;
        for status in [Draft, Published { version: 1 }, Closed { version: 1 }] {
            assert!(refused(status, Delete).starts_with("Safety notices are never deleted"));
        }
        assert!(refused(Draft, PublishNewVersion).contains("publish it first"));
        assert!(refused(Draft, Close).contains("never published"));
        assert!(refused(Published { version: 3 }, Publish).contains("publish a new version"));
        for action in [Publish, PublishNewVersion, Close] {
            let error = Closed { version: 2 }.apply(action).unwrap_err();
            assert_eq!(error.from, Closed { version: 2 });
            assert!(error.to_string().contains("create a new notice"));
        }
    }
}
