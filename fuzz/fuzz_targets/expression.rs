//! Fuzz target: an expression from arbitrary bytes, parsed and evaluated with the names a case
//! file binds (n, r, d, q and the core indices a, i, b, k) set to small integers. Neither step
//! may panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tnproof::expr::{Expr, Scope};

fuzz_target!(|bytes: &[u8]| {
    let Ok(source) = std::str::from_utf8(bytes) else { return };
    let Ok(expr) = Expr::parse(source) else { return };
    let mut scope = Scope::new();
    for (name, value) in [
        ("n", 3),
        ("r", 4),
        ("d", 6),
        ("q", 3),
        ("a", 2),
        ("i", 1),
        ("b", 3),
        ("k", 2),
    ] {
        scope.set_int(name, value);
    }
    let _ = expr.eval(&scope);
});
