//! The first bundle's entry point: the pages before signing in (see `app::public`).

fn main() {
    app::public::start();
}
