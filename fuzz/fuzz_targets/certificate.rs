//! Fuzz target: certificates from arbitrary UTF-8 text, through the trusted kernel. The kernel
//! must reject or confirm, never panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(text) = std::str::from_utf8(bytes) {
        let _ = tnproof_kernel::check(text);
    }
});
