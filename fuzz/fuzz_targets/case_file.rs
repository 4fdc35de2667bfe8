//! Fuzz target: a case file from arbitrary bytes. Parsing and grid expansion (cores built,
//! claims made concrete) must never panic or hang; claims are never decided. The memory limit
//! is small so that a fuzzed grid cannot ask for huge tensors.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tnproof::case::{parse_case, ResourceLimit};

/// Memory one fuzzed instance may claim: 64 MiB.
const FUZZ_LIMIT: ResourceLimit = ResourceLimit::memory(64 << 20);

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    if let Ok(case) = parse_case("fuzz.toml", text) {
        let _ = case.instances(FUZZ_LIMIT);
    }
});
