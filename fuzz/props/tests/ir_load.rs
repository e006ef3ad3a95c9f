//! Replays the `ir_load` fuzz target's corpus and crash files on stable.
mod common;

#[test]
fn every_ir_load_input_keeps_its_properties() {
    common::replay("ir_load", 10, common::cores(), camp_fuzz_props::ir_load);
}
