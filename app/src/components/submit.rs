//! A form's submit as a Leptos `Action`: its pending state drives the button, and a second
//! press while the first is on its way does nothing (one helper instead of a hand-rolled
//! "pending" signal on every page).

use std::future::Future;

use leptos::prelude::*;

/// An action for a browser-only future (server-function calls and WebCrypto are not `Send` in
/// the browser), run at most once at a time.
pub struct Submit<I: 'static, O: 'static> {
    action: Action<I, O>,
}

impl<I: 'static, O: 'static> Clone for Submit<I, O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I: 'static, O: 'static> Copy for Submit<I, O> {}

impl<I: Clone + 'static, O: 'static> Submit<I, O> {
    /// `run` does the work for one submit and may set the page's signals with the outcome.
    pub fn new<F, Fu>(run: F) -> Self
    where
        F: Fn(I) -> Fu + 'static,
        Fu: Future<Output = O> + 'static,
    {
        Self {
            action: Action::new_local(move |input: &I| run(input.clone())),
        }
    }

    /// Starts a submit, unless one is already on its way.
    pub fn dispatch(self, input: I) {
        if !self.action.pending().get_untracked() {
            self.action.dispatch_local(input);
        }
    }

    /// True while a submit is on its way (for the button: disabled, "Checking…").
    pub fn pending(self) -> Signal<bool> {
        let pending = self.action.pending();
        Signal::derive(move || pending.get())
    }

    /// The last outcome, once a submit has finished.
    pub fn value(self) -> MappedSignal<Option<O>> {
        self.action.value()
    }
}
