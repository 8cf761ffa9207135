//! pt-loadtest: the load-test harness. Not built yet — it has its own issue.
//! Running it says so and exits non-zero, so nobody mistakes it for a result.

fn main() {
    eprintln!("pt-loadtest is not implemented yet (see the load-test issue); nothing was measured.");
    std::process::exit(2);
}
