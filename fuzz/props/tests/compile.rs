//! Replays the `compile` fuzz target's corpus and crash files on stable.
mod common;

#[test]
fn every_compile_input_keeps_its_properties() {
    common::replay("compile", 20, common::cores(), camp_fuzz_props::compile);
}
