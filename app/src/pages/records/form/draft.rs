//! The form's draft on this device: restored when the form opens, then saved, encrypted, a
//! moment after each change. A draft that cannot be kept says so (never silently).

use domain::procedure::ProcedureForm;
use leptos::prelude::*;

use crate::offline::crypto::Cipher;
use crate::offline::{now_ms, store};

/// Wait after a change before saving, so typing is not slowed by encryption.
const SAVE_AFTER_MS: u32 = 400;

/// The draft of one form, as `use_draft` keeps it.
#[derive(Clone, Copy)]
pub struct Draft {
    form: RwSignal<ProcedureForm>,
    owner: i64,
    name: StoredValue<String>,
    /// True once a draft left on this device was put back into the form.
    pub restored: RwSignal<bool>,
    /// When the draft was last saved, as `14:02:31`.
    pub saved_at: RwSignal<Option<String>>,
}

/// Restores the draft `name` of `owner` into `form`, then saves every change. What stops the
/// draft being kept (no key, storage failing) is put in `problem`.
pub fn use_draft(
    form: RwSignal<ProcedureForm>,
    owner: i64,
    name: String,
    problem: RwSignal<Option<String>>,
) -> Draft {
    let draft = Draft {
        form,
        owner,
        name: StoredValue::new(name),
        restored: RwSignal::new(false),
        saved_at: RwSignal::new(None),
    };
    let loaded = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        match Cipher::for_user(owner).await {
            Ok(cipher) => {
                if let Ok(Some(row)) = store::load_draft(owner, &draft.name.get_value()).await
                    && let Ok(saved) = cipher.open_json::<ProcedureForm>(&row.sealed).await
                {
                    form.set(saved);
                    draft.restored.set(true);
                }
            }
            Err(error) => problem.set(Some(not_kept(&error))),
        }
        loaded.set(true);
    });
    let pending_save = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);
    Effect::new(move |_| {
        let snapshot = form.get();
        if !loaded.get_untracked() {
            return;
        }
        let timer = gloo_timers::callback::Timeout::new(SAVE_AFTER_MS, move || {
            leptos::task::spawn_local(async move {
                match draft.save(&snapshot).await {
                    Ok(()) => draft.saved_at.set(Some(clock_time())),
                    Err(message) => problem.set(Some(message)),
                }
            });
        });
        pending_save.set_value(Some(timer));
    });
    draft
}

impl Draft {
    async fn save(self, snapshot: &ProcedureForm) -> Result<(), String> {
        let cipher = Cipher::for_user(self.owner)
            .await
            .map_err(|error| not_kept(&error))?;
        let sealed = cipher
            .seal_json(snapshot)
            .await
            .map_err(|error| changes_not_kept(&error))?;
        let row = store::DraftRow {
            id: store::draft_id(self.owner, &self.name.get_value()),
            owner: self.owner,
            saved_at: now_ms(),
            sealed,
        };
        store::save_draft(&row)
            .await
            .map_err(|error| changes_not_kept(&error))
    }

    /// Empties the form and forgets the draft ("Start again").
    pub fn start_again(self) {
        self.form.set(ProcedureForm::new());
        self.restored.set(false);
        leptos::task::spawn_local(async move {
            let _ = self.discard().await;
        });
    }

    /// Forgets the draft on this device (once the record is in the outbox).
    pub async fn discard(self) -> Result<(), store::StoreError> {
        store::discard_draft(self.owner, &self.name.get_value()).await
    }
}

fn not_kept(error: &impl std::fmt::Display) -> String {
    format!(
        "{error}. What you type cannot be kept on this device until the registry can be reached."
    )
}

fn changes_not_kept(error: &impl std::fmt::Display) -> String {
    format!("{error}. The latest changes are not kept on this device.")
}

/// The time now, as `14:02:31`.
fn clock_time() -> String {
    let time = js_sys::Date::new_0();
    format!(
        "{:02}:{:02}:{:02}",
        time.get_hours(),
        time.get_minutes(),
        time.get_seconds()
    )
}
