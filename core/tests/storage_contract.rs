//! The storage contract on the in-memory twin, natively.
#![cfg(not(target_arch = "wasm32"))]

use driehoek_core::storage::MemoryStore;
use driehoek_core::storage::contract;
use futures::executor::block_on;

#[test]
fn a_missing_key_reads_as_none() {
    block_on(contract::a_missing_key_reads_as_none(&MemoryStore::new()));
}

#[test]
fn a_put_value_reads_back_unchanged() {
    block_on(contract::a_put_value_reads_back_unchanged(
        &MemoryStore::new(),
    ));
}

#[test]
fn an_empty_value_is_stored_and_is_not_missing() {
    block_on(contract::an_empty_value_is_stored_and_is_not_missing(
        &MemoryStore::new(),
    ));
}

#[test]
fn a_one_mebibyte_value_round_trips() {
    block_on(contract::a_one_mebibyte_value_round_trips(
        &MemoryStore::new(),
    ));
}

#[test]
fn a_second_put_replaces_the_value() {
    block_on(contract::a_second_put_replaces_the_value(
        &MemoryStore::new(),
    ));
}

#[test]
fn prefix_listing_returns_exactly_the_prefix_keys_sorted() {
    block_on(contract::prefix_listing_returns_exactly_the_prefix_keys_sorted(&MemoryStore::new()));
}

#[test]
fn prefix_listing_sorts_like_indexed_db_beyond_ascii() {
    block_on(contract::prefix_listing_sorts_like_indexed_db_beyond_ascii(
        &MemoryStore::new(),
    ));
}

#[test]
fn deleting_a_missing_key_is_fine() {
    block_on(contract::deleting_a_missing_key_is_fine(&MemoryStore::new()));
}

#[test]
fn delete_removes_only_that_key() {
    block_on(contract::delete_removes_only_that_key(&MemoryStore::new()));
}

#[test]
fn a_batch_applies_all_its_puts_and_deletes_in_order() {
    block_on(contract::a_batch_applies_all_its_puts_and_deletes_in_order(
        &MemoryStore::new(),
    ));
}

#[test]
fn an_empty_batch_is_fine() {
    block_on(contract::an_empty_batch_is_fine(&MemoryStore::new()));
}

#[test]
fn a_failing_batch_changes_nothing() {
    block_on(contract::a_failing_batch_changes_nothing(
        &MemoryStore::new(),
    ));
}

#[test]
fn a_failing_put_or_delete_changes_nothing() {
    block_on(contract::a_failing_put_or_delete_changes_nothing(
        &MemoryStore::new(),
    ));
}
