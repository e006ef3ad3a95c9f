//! Arbitrary bytes as JSON into the IR loader: see `camp_fuzz_props::ir_load`.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| camp_fuzz_props::ir_load(bytes));
