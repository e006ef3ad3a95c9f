//! What the evaluator keeps of every payment id decided, for its replays:
//! one compact record per id in large shared chunks (no allocation per
//! payment), found by the id's hash and told apart by the id's text, so
//! that a replay returns exactly the first decision and a conflicting
//! replay (the same id, other attributes) is refused, exactly.
//!
//! A record holds where the previous record of an id with the same hash
//! starts (ids whose hashes collide are chained, never confused), the id,
//! the payment's attributes ([`encode`]), the total, each campaign
//! considered's outcome code (two to a byte) and what each that paid
//! paid. Numbers are LEB128 varints; decimals keep their scale and sign,
//! so a replay's amounts are the first decision's, digit for digit. The
//! campaigns considered are the index's for the payment, so they are not
//! kept.

use std::hash::BuildHasher;

use super::*;

/// The size of a chunk of records (a record longer than that gets a chunk
/// of its own).
const CHUNK: usize = 1 << 20;

/// No previous record.
const NONE: u64 = u64::MAX;

#[derive(Debug, Clone, Default)]
pub(super) struct Replays {
    /// By the id's hash: where the newest record of an id with that hash
    /// starts (the chunk's number above, the place in it below).
    table: HashMap<u64, u64>,
    hasher: foldhash::fast::RandomState,
    chunks: Vec<Vec<u8>>,
}

/// A record read back.
pub(super) struct Record<'a> {
    /// The payment's attributes, [`encode`]d.
    pub(super) payment: &'a [u8],
    pub(super) total: Decimal,
    /// How many campaigns were considered.
    count: usize,
    /// Their outcome codes ([`code`]), two to a byte, the first in the low
    /// half.
    codes: &'a [u8],
    /// What those that paid paid, in order.
    paid: &'a [u8],
}

impl Replays {
    /// The record of the payment id `id`, when it was decided.
    pub(super) fn get(&self, id: &str) -> Option<Record<'_>> {
        self.get_hashed(self.hasher.hash_one(id), id)
    }

    /// [`Replays::get`] under the hash `hash` of `id`.
    fn get_hashed(&self, hash: u64, id: &str) -> Option<Record<'_>> {
        let mut at = *self.table.get(&hash)?;
        while at != NONE {
            let bytes = self.bytes_at(at)?;
            let (previous, rest) = bytes.split_first_chunk::<8>()?;
            let (length, rest) = read_varint(rest)?;
            let (text, rest) = rest.split_at_checked(usize::try_from(length).ok()?)?;
            if text == id.as_bytes() {
                return Record::read(rest);
            }
            at = u64::from_le_bytes(*previous);
        }
        None
    }

    /// Records the first decision of the payment id `id`: its attributes
    /// ([`encode`]d), its total, and per campaign considered the outcome.
    pub(super) fn insert(
        &mut self,
        id: &str,
        payment: &[u8],
        total: Decimal,
        outcomes: &[Outcome],
        record: &mut Vec<u8>,
    ) {
        let hash = self.hasher.hash_one(id);
        self.insert_hashed(hash, id, payment, total, outcomes, record);
    }

    /// [`Replays::insert`] under the hash `hash` of `id`.
    fn insert_hashed(
        &mut self,
        hash: u64,
        id: &str,
        payment: &[u8],
        total: Decimal,
        outcomes: &[Outcome],
        record: &mut Vec<u8>,
    ) {
        let previous = self.table.get(&hash).copied().unwrap_or(NONE);
        record.clear();
        record.extend_from_slice(&previous.to_le_bytes());
        write_varint(record, id.len() as u128);
        record.extend_from_slice(id.as_bytes());
        write_varint(record, payment.len() as u128);
        record.extend_from_slice(payment);
        write_decimal(record, total);
        write_varint(record, outcomes.len() as u128);
        for pair in outcomes.chunks(2) {
            let low = pair.first().map_or(0, |outcome| code(*outcome));
            let high = pair.get(1).map_or(0, |outcome| code(*outcome));
            record.push(low | (high << 4));
        }
        for outcome in outcomes {
            if let Outcome::Paid { amount } = outcome {
                write_decimal(record, amount.amount);
            }
        }
        let at = self.push(record);
        self.table.insert(hash, at);
    }

    /// Appends `record` to the last chunk (or a new one), and gives where
    /// it starts.
    fn push(&mut self, record: &[u8]) -> u64 {
        let fits = self
            .chunks
            .last()
            .is_some_and(|chunk| chunk.capacity() - chunk.len() >= record.len());
        if !fits {
            self.chunks
                .push(Vec::with_capacity(CHUNK.max(record.len())));
        }
        let number = self.chunks.len().saturating_sub(1);
        let Some(chunk) = self.chunks.last_mut() else {
            return NONE;
        };
        let place = chunk.len();
        chunk.extend_from_slice(record);
        ((number as u64) << 32) | place as u64
    }

    /// The bytes from where a record starts to the end of its chunk.
    fn bytes_at(&self, at: u64) -> Option<&[u8]> {
        let chunk = self.chunks.get(usize::try_from(at >> 32).ok()?)?;
        chunk.get(usize::try_from(at & u64::from(u32::MAX)).ok()?..)
    }
}

impl<'a> Record<'a> {
    /// A record's fields after the id.
    fn read(bytes: &'a [u8]) -> Option<Record<'a>> {
        let (length, rest) = read_varint(bytes)?;
        let (payment, rest) = rest.split_at_checked(usize::try_from(length).ok()?)?;
        let (total, rest) = read_decimal(rest)?;
        let (count, rest) = read_varint(rest)?;
        let count = usize::try_from(count).ok()?;
        let (codes, paid) = rest.split_at_checked(count.div_ceil(2))?;
        Some(Record {
            payment,
            total,
            count,
            codes,
            paid,
        })
    }

    /// The outcomes, in the order they were recorded, in the currency of
    /// `amount` (the payment's).
    pub(super) fn outcomes(&self, amount: Money) -> impl Iterator<Item = Outcome> + 'a {
        let currency = amount.currency;
        let mut paid = self.paid;
        self.codes
            .iter()
            .flat_map(|byte| [byte & 0x0f, byte >> 4])
            .take(self.count)
            .map(move |code| match code.checked_sub(1) {
                None => {
                    let (amount, rest) = read_decimal(paid).unwrap_or((Decimal::ZERO, &[]));
                    paid = rest;
                    Outcome::Paid {
                        amount: Money::new(amount, currency),
                    }
                }
                Some(place) => Outcome::NoDiscount {
                    reason: Reason::ALL
                        .get(usize::from(place))
                        .copied()
                        .unwrap_or(Reason::Stacking),
                },
            })
    }
}

/// The code of an outcome: `0` when it paid, otherwise `1 +` the reason's
/// place in [`Reason::ALL`] (at most 14: it fits half a byte).
fn code(outcome: Outcome) -> u8 {
    match outcome {
        Outcome::Paid { .. } => 0,
        Outcome::NoDiscount { reason } => Reason::ALL
            .iter()
            .position(|known| *known == reason)
            .and_then(|place| u8::try_from(place + 1).ok())
            .unwrap_or(0x0f),
    }
}

/// `value` as a LEB128 varint.
pub(super) fn write_varint(into: &mut Vec<u8>, mut value: u128) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            into.push(byte);
            return;
        }
        into.push(byte | 0x80);
    }
}

fn read_varint(bytes: &[u8]) -> Option<(u128, &[u8])> {
    let mut value: u128 = 0;
    for (place, byte) in bytes.iter().enumerate() {
        let shift = u32::try_from(place).ok()?.checked_mul(7)?;
        if shift >= 128 {
            return None;
        }
        value |= u128::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some((value, bytes.get(place + 1..)?));
        }
    }
    None
}

/// A decimal exactly, scale and sign included: a byte with the scale and
/// the sign (`0x80`), then the mantissa's magnitude as a varint.
pub(super) fn write_decimal(into: &mut Vec<u8>, value: Decimal) {
    let sign = if value.is_sign_negative() { 0x80 } else { 0 };
    into.push(u8::try_from(value.scale()).unwrap_or(0x7f) | sign);
    write_varint(into, value.mantissa().unsigned_abs());
}

fn read_decimal(bytes: &[u8]) -> Option<(Decimal, &[u8])> {
    let (head, rest) = bytes.split_first()?;
    let (magnitude, rest) = read_varint(rest)?;
    let mut value =
        Decimal::try_from_i128_with_scale(i128::try_from(magnitude).ok()?, u32::from(head & 0x7f))
            .ok()?;
    value.set_sign_negative(head & 0x80 != 0);
    Some((value, rest))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn money(amount: &str) -> Money {
        serde_json::from_value(serde_json::json!({"amount": amount, "currency": "CNY"})).unwrap()
    }

    /// Ids whose hashes collide are chained and told apart by their
    /// text: each returns its own record, an id never decided none.
    #[test]
    fn colliding_ids_are_told_apart() {
        let mut replays = Replays::default();
        let mut record = Vec::new();
        let paid = money("5.00");
        let first = [
            Outcome::Paid { amount: paid },
            Outcome::NoDiscount {
                reason: Reason::Stacking,
            },
            Outcome::NoDiscount {
                reason: Reason::Claim,
            },
        ];
        let second = [Outcome::NoDiscount {
            reason: Reason::Currency,
        }];
        replays.insert_hashed(7, "a", b"one", paid.amount, &first, &mut record);
        replays.insert_hashed(7, "b", b"two", Decimal::ZERO, &second, &mut record);
        let a = replays.get_hashed(7, "a").unwrap();
        assert_eq!(a.payment, b"one");
        assert_eq!(a.total.serialize(), paid.amount.serialize());
        assert_eq!(a.outcomes(paid).collect::<Vec<_>>(), first);
        let b = replays.get_hashed(7, "b").unwrap();
        assert_eq!(b.payment, b"two");
        assert_eq!(b.outcomes(paid).collect::<Vec<_>>(), second);
        assert!(replays.get_hashed(7, "c").is_none());
        assert!(replays.get_hashed(8, "a").is_none());
    }

    /// Decimals come back digit for digit: scale and sign kept.
    #[test]
    fn decimals_keep_scale_and_sign() {
        for text in [
            "0",
            "0.00",
            "-0.00",
            "5.10",
            "123456789.123",
            "-7",
            "79228162514264337593543950335",
        ] {
            let value = Decimal::from_str(text).unwrap();
            let mut bytes = Vec::new();
            write_decimal(&mut bytes, value);
            let (back, rest) = read_decimal(&bytes).unwrap();
            assert!(rest.is_empty());
            assert_eq!(back.serialize(), value.serialize(), "{text}");
        }
    }

    /// A record larger than a chunk gets a chunk of its own, and the
    /// records around it are found.
    #[test]
    fn a_record_larger_than_a_chunk() {
        let mut replays = Replays::default();
        let mut record = Vec::new();
        let big = vec![1_u8; CHUNK + 10];
        let none: [Outcome; 0] = [];
        replays.insert("small", b"x", Decimal::ZERO, &none, &mut record);
        replays.insert("big", &big, Decimal::ZERO, &none, &mut record);
        replays.insert("after", b"y", Decimal::ZERO, &none, &mut record);
        assert_eq!(replays.get("small").unwrap().payment, b"x");
        assert_eq!(replays.get("big").unwrap().payment, big.as_slice());
        assert_eq!(replays.get("after").unwrap().payment, b"y");
    }
}
