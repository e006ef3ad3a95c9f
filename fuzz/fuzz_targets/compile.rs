//! Arbitrary bytes as one `.camp` file: see `camp_fuzz_props::compile`.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| camp_fuzz_props::compile(bytes));
