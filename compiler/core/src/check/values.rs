//! Typing single values: what a literal or a name must be where a field
//! expects money, a rate, a count, a duration, text or a schema name.
//!
//! Every `expect_*` returns `Some(value)` for a valid literal, and `None`
//! when it reported an error or when the value is a template parameter of
//! the right type (its value is known only when a campaign uses the
//! template). Callers skip dependent checks on `None`.

use std::collections::HashMap;

use camp_lang::vocab::TypeName;
use iso_currency::{Currency, IntoEnumIterator};
use rust_decimal::Decimal;

use super::model::{Money, PolicyDef, Rate, group_digits};
use crate::error::{CampError, MAX_DURATION_SECONDS, NameKind, TooLarge};
use crate::source::Span;
use crate::syntax::ast::{Atom, AtomKind, Ident, Term};

/// The most edits a "did you mean" may be away from what was written,
/// by the length of the word: no absurd suggestions for short words.
fn max_distance(word: &str) -> usize {
    match word.chars().count() {
        0..=3 => 1,
        4..=7 => 2,
        _ => 3,
    }
}

/// The closest candidate within the capped edit distance; ties go to the
/// alphabetically first, so the suggestion is the same on every run.
pub fn suggest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<String> {
    let limit = max_distance(word);
    let lowered = word.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        if candidate == word {
            continue;
        }
        let distance = if candidate.to_lowercase() == lowered {
            0
        } else {
            strsim::levenshtein(word, candidate)
        };
        if distance > limit {
            continue;
        }
        let better = match best {
            None => true,
            Some((best_distance, best_candidate)) => {
                distance < best_distance
                    || (distance == best_distance && candidate < best_candidate)
            }
        };
        if better {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate.to_string())
}

/// A declared name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Symbol {
    pub kind: NameKind,
    pub span: Span,
}

/// Every declared name of the package, in one namespace.
#[derive(Debug, Default)]
pub struct Symbols {
    /// Hashed with `foldhash`: every name a campaign uses is looked up.
    pub by_name: HashMap<String, Symbol, foldhash::fast::RandomState>,
    /// Names of each kind, sorted, for suggestions.
    pub names_of_kind: HashMap<NameKind, Vec<String>, foldhash::fast::RandomState>,
}

impl Symbols {
    pub fn get(&self, name: &str) -> Option<Symbol> {
        self.by_name.get(name).copied()
    }

    pub fn suggest(&self, name: &str, kind: NameKind) -> Option<String> {
        let names = self.names_of_kind.get(&kind)?;
        suggest(name, names.iter().map(String::as_str))
    }
}

/// The types a template parameter can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BaseType {
    Money,
    Rate,
    Count,
    Duration,
    Text,
    Name(NameKind),
    /// A parameter whose written type is unknown (already reported): any
    /// use of it is accepted, so the one mistake is not echoed.
    Unknown,
}

impl From<TypeName> for BaseType {
    fn from(name: TypeName) -> BaseType {
        match name {
            TypeName::Money => BaseType::Money,
            TypeName::Rate => BaseType::Rate,
            TypeName::Count => BaseType::Count,
            TypeName::Duration => BaseType::Duration,
            TypeName::Text => BaseType::Text,
            TypeName::Scene => BaseType::Name(NameKind::Scene),
            TypeName::Category => BaseType::Name(NameKind::Category),
            TypeName::Region => BaseType::Name(NameKind::Region),
            TypeName::Segment => BaseType::Name(NameKind::Segment),
            TypeName::Fund => BaseType::Name(NameKind::Fund),
            TypeName::MerchantGroup => BaseType::Name(NameKind::MerchantGroup),
            TypeName::Instrument => BaseType::Name(NameKind::Instrument),
            TypeName::Pool => BaseType::Name(NameKind::Pool),
        }
    }
}

impl BaseType {
    /// The type names a parameter may be declared with (`camp_lang`'s).
    pub const NAMES: [&'static str; TypeName::ALL.len()] = TypeName::ALL;

    pub fn parse(name: &str) -> Option<BaseType> {
        TypeName::parse(name).map(BaseType::from)
    }

    /// The name a parameter of this type is declared with; a name that
    /// no parameter type has (a template's, a campaign's) by its kind.
    pub fn as_str(self) -> &'static str {
        match self {
            BaseType::Money
            | BaseType::Rate
            | BaseType::Count
            | BaseType::Duration
            | BaseType::Text
            | BaseType::Name(
                NameKind::Scene
                | NameKind::Category
                | NameKind::Region
                | NameKind::Segment
                | NameKind::Fund
                | NameKind::MerchantGroup
                | NameKind::Instrument
                | NameKind::Pool,
            ) => TypeName::VARIANTS
                .into_iter()
                .find(|name| BaseType::from(*name) == self)
                .map_or("?", TypeName::as_str),
            BaseType::Name(NameKind::Template) => "Template",
            BaseType::Name(NameKind::Campaign) => "Campaign",
            BaseType::Unknown => "?",
        }
    }

    /// "an amount of money", "a rate", … for messages.
    pub fn describe(self) -> String {
        match self {
            BaseType::Money => String::from("an amount of money"),
            BaseType::Rate => String::from("a rate"),
            BaseType::Count => String::from("a count"),
            BaseType::Duration => String::from("a duration"),
            BaseType::Text => String::from("a string"),
            BaseType::Name(kind) => format!("a {} name", kind.as_str()),
            BaseType::Unknown => String::from("a value"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParamType {
    pub base: BaseType,
    pub list: bool,
}

impl ParamType {
    pub fn display(self) -> String {
        if self.list {
            format!("[{}]", self.base.as_str())
        } else {
            self.base.as_str().to_string()
        }
    }
}

/// The parameters in scope while checking a template's body.
pub type Params = HashMap<String, (ParamType, Span), foldhash::fast::RandomState>;

/// How a value reads in "found …" messages.
pub fn describe_atom(atom: &Atom) -> String {
    match &atom.kind {
        AtomKind::Money {
            currency, amount, ..
        } => format!(
            "the amount `{currency} {}`",
            group_digits(&amount.to_string())
        ),
        AtomKind::Rate(rate) => format!("the rate `{rate}%`"),
        AtomKind::Duration { .. } => String::from("a duration"),
        AtomKind::Number { value, .. } => {
            format!("the bare number `{}`", group_digits(&value.to_string()))
        }
        AtomKind::Text(_) => String::from("a string"),
        AtomKind::Bool(value) => format!("`{value}`"),
        AtomKind::Any => String::from("`any`"),
        AtomKind::Name(name) => format!("the name `{name}`"),
        AtomKind::Upper(word) => format!("`{word}`"),
        AtomKind::Instant(_) => String::from("a date and time"),
        AtomKind::Invalid => String::from("an invalid value"),
    }
}

/// Checking state shared by every value in one item.
pub struct Ctx<'a> {
    pub symbols: &'a Symbols,
    pub policy: Option<&'a PolicyDef>,
    /// Set while checking a template body.
    pub params: Option<&'a Params>,
    pub errors: Vec<CampError>,
    /// The currency of the campaign being checked, once known, and where.
    pub currency: Option<(Currency, Span)>,
    /// Whether money must all be in one currency (campaigns, templates).
    pub single_currency: bool,
    /// Currencies already reported as not allowed by the policy: one
    /// error per currency and item, not one per amount.
    disallowed_reported: Vec<Currency>,
}

impl<'a> Ctx<'a> {
    pub fn new(symbols: &'a Symbols, policy: Option<&'a PolicyDef>) -> Ctx<'a> {
        Ctx {
            symbols,
            policy,
            params: None,
            errors: Vec::new(),
            currency: None,
            single_currency: false,
            disallowed_reported: Vec::new(),
        }
    }

    pub fn error(&mut self, error: CampError) {
        self.errors.push(error);
    }

    /// `Some(type)` if the atom names a template parameter in scope.
    fn param(&self, atom: &Atom) -> Option<(String, ParamType, Span)> {
        let AtomKind::Name(name) = &atom.kind else {
            return None;
        };
        let (ty, span) = self.params?.get(name)?;
        Some((name.clone(), *ty, *span))
    }

    /// Reports a parameter used where another type is expected; `true` if
    /// the atom was a parameter (of any type).
    fn check_param(&mut self, atom: &Atom, expected: BaseType) -> bool {
        let Some((name, ty, _)) = self.param(atom) else {
            return false;
        };
        if ty.base != BaseType::Unknown && (ty.list || ty.base != expected) {
            self.error(CampError::TypeMismatch {
                span: atom.span,
                expected: expected.describe(),
                found: format!("parameter `{name}` of type `{}`", ty.display()),
                help: Some(format!("declare `{name}` as `{}`", expected.as_str())),
            });
        }
        true
    }

    fn mismatch(&mut self, atom: &Atom, expected: BaseType) {
        if matches!(atom.kind, AtomKind::Invalid) {
            return;
        }
        let help = match (&atom.kind, expected) {
            (AtomKind::Number { value, .. }, BaseType::Money) => Some(format!(
                "write the amount with its currency, e.g. `{}`",
                self.example_money(*value)
            )),
            (AtomKind::Number { value, .. }, BaseType::Rate) => {
                Some(format!("write a rate with `%`, e.g. `{value}%`"))
            }
            (AtomKind::Number { value, .. }, BaseType::Duration) => Some(format!(
                "write a duration with its unit, e.g. `{value}min` (`s`, `min`, `h`, `d`)"
            )),
            (AtomKind::Rate(_), BaseType::Money) => Some(String::from(
                "a percentage needs a cap in money; an amount is written like `CNY 20.00`",
            )),
            (AtomKind::Money { .. }, BaseType::Rate) => {
                Some(String::from("a rate is written with `%`, e.g. `15%`"))
            }
            (AtomKind::Number { integer: false, .. }, BaseType::Count) => {
                Some(String::from("a count is a whole number"))
            }
            (AtomKind::Money { .. } | AtomKind::Rate(_), BaseType::Count) => {
                Some(String::from("a count is a bare whole number, e.g. `1`"))
            }
            (AtomKind::Name(_), BaseType::Text) => Some(String::from("put text in double quotes")),
            _ => None,
        };
        self.error(CampError::TypeMismatch {
            span: atom.span,
            expected: expected.describe(),
            found: describe_atom(atom),
            help,
        });
    }

    /// `value` as money in the campaign's (or the policy's first)
    /// currency, the way an author writes it: `100_000` → `CNY 100_000.00`.
    pub fn example_money(&self, value: Decimal) -> String {
        let code = self.example_currency();
        match Currency::from_code(code) {
            Some(currency) if value.scale() <= Money::minor_unit(currency) => Money {
                amount: value,
                currency,
            }
            .to_string(),
            _ => format!("{code} {value}"),
        }
    }

    fn example_currency(&self) -> &'static str {
        if let Some((currency, _)) = self.currency {
            return currency.code();
        }
        self.policy
            .and_then(|policy| policy.currencies.as_ref())
            .and_then(|(currencies, _)| currencies.first())
            .map(|currency| currency.code())
            .unwrap_or("CNY")
    }

    /// Resolves an ISO 4217 code, reporting unknown codes.
    pub fn currency(&mut self, code: &str, span: Span) -> Option<Currency> {
        // Most amounts are in the campaign's currency, already resolved.
        if let Some((known, _)) = self.currency
            && known.code() == code
        {
            return Some(known);
        }
        match Currency::from_code(code) {
            Some(currency) if currency.exponent().is_some() => Some(currency),
            Some(_) => {
                self.error(CampError::CurrencyWithoutMinorUnit {
                    span,
                    currency: code.to_string(),
                });
                None
            }
            None => {
                let alias = match code {
                    "RMB" | "CNH" | "YUAN" => Some("CNY"),
                    "YEN" => Some("JPY"),
                    "EURO" => Some("EUR"),
                    "NTD" => Some("TWD"),
                    "HK" => Some("HKD"),
                    _ => None,
                };
                let suggestion = alias.map(String::from).or_else(|| {
                    let codes: Vec<&'static str> =
                        Currency::iter().map(|currency| currency.code()).collect();
                    suggest(code, codes)
                });
                self.error(CampError::UnknownCurrency {
                    code: code.to_string(),
                    span,
                    suggestion,
                });
                None
            }
        }
    }

    /// Checks a currency against the policy's `currencies`.
    pub fn currency_allowed(&mut self, currency: Currency, span: Span) -> bool {
        let Some((allowed, policy_span)) =
            self.policy.and_then(|policy| policy.currencies.as_ref())
        else {
            return true;
        };
        if allowed.contains(&currency) {
            return true;
        }
        if self.disallowed_reported.contains(&currency) {
            return false;
        }
        self.disallowed_reported.push(currency);
        let allowed = allowed
            .iter()
            .map(|currency| currency.code().to_string())
            .collect();
        let policy_span = *policy_span;
        self.error(CampError::CurrencyNotAllowed {
            span,
            currency: currency.code().to_string(),
            allowed,
            policy: policy_span,
        });
        false
    }

    /// An amount of money: a known currency, within its minor unit,
    /// allowed by the policy, and (in a campaign) the campaign's currency.
    pub fn expect_money(&mut self, atom: &Atom) -> Option<Money> {
        if self.check_param(atom, BaseType::Money) {
            return None;
        }
        let AtomKind::Money {
            currency,
            currency_span,
            amount,
            scale,
        } = &atom.kind
        else {
            self.mismatch(atom, BaseType::Money);
            return None;
        };
        let code = self.currency(currency, *currency_span)?;
        let minor_unit = Money::minor_unit(code);
        if *scale > minor_unit {
            self.error(CampError::CurrencyPrecision {
                span: atom.span,
                currency: currency.clone(),
                written: *scale,
                minor_unit: u16::try_from(minor_unit).unwrap_or(u16::MAX),
            });
            return None;
        }
        if !self.currency_allowed(code, *currency_span) {
            return None;
        }
        if self.single_currency {
            match self.currency {
                None => self.currency = Some((code, *currency_span)),
                Some((expected, first)) if expected != code => {
                    self.error(CampError::MixedCurrencies {
                        span: *currency_span,
                        found: code.code().to_string(),
                        expected: expected.code().to_string(),
                        first,
                    });
                    return None;
                }
                Some(_) => {}
            }
        }
        Some(Money {
            amount: *amount,
            currency: code,
        })
    }

    /// Money above zero.
    pub fn expect_positive_money(&mut self, atom: &Atom, what: &'static str) -> Option<Money> {
        let money = self.expect_money(atom)?;
        if money.amount <= Decimal::ZERO {
            self.error(CampError::NotPositive {
                span: atom.span,
                what,
            });
            return None;
        }
        Some(money)
    }

    /// A rate in (0%, 100%].
    pub fn expect_rate(&mut self, atom: &Atom) -> Option<Rate> {
        if self.check_param(atom, BaseType::Rate) {
            return None;
        }
        let AtomKind::Rate(rate) = atom.kind else {
            self.mismatch(atom, BaseType::Rate);
            return None;
        };
        if rate <= Decimal::ZERO || rate > Decimal::ONE_HUNDRED {
            self.error(CampError::RateOutOfRange {
                span: atom.span,
                rate: Rate(rate).to_string(),
            });
            return None;
        }
        Some(Rate(rate))
    }

    /// A whole number above zero.
    pub fn expect_count(&mut self, atom: &Atom, what: &'static str) -> Option<u64> {
        if self.check_param(atom, BaseType::Count) {
            return None;
        }
        let AtomKind::Number {
            value,
            integer: true,
        } = atom.kind
        else {
            self.mismatch(atom, BaseType::Count);
            return None;
        };
        if value <= Decimal::ZERO {
            self.error(CampError::NotPositive {
                span: atom.span,
                what,
            });
            return None;
        }
        match u64::try_from(value) {
            Ok(count) => Some(count),
            Err(_) => {
                self.error(CampError::NumberTooLarge {
                    span: atom.span,
                    text: group_digits(&value.to_string()),
                    what: TooLarge::Count,
                });
                None
            }
        }
    }

    /// A duration above zero and at most 366 days, in seconds.
    pub fn expect_duration(&mut self, atom: &Atom, what: &'static str) -> Option<u64> {
        if self.check_param(atom, BaseType::Duration) {
            return None;
        }
        let AtomKind::Duration { value, unit } = atom.kind else {
            self.mismatch(atom, BaseType::Duration);
            return None;
        };
        if value == 0 {
            self.error(CampError::NotPositive {
                span: atom.span,
                what,
            });
            return None;
        }
        match value.checked_mul(unit.seconds()) {
            Some(seconds) if seconds <= MAX_DURATION_SECONDS => Some(seconds),
            _ => {
                self.error(CampError::DurationTooLong {
                    span: atom.span,
                    written: format!("{value}{}", unit.as_str()),
                });
                None
            }
        }
    }

    pub fn expect_text(&mut self, atom: &Atom) -> Option<String> {
        if self.check_param(atom, BaseType::Text) {
            return None;
        }
        match &atom.kind {
            AtomKind::Text(text) => Some(text.clone()),
            _ => {
                self.mismatch(atom, BaseType::Text);
                None
            }
        }
    }

    /// A declared name of the given kind.
    pub fn expect_name(&mut self, atom: &Atom, kind: NameKind) -> Option<String> {
        if self.check_param(atom, BaseType::Name(kind)) {
            return None;
        }
        let AtomKind::Name(name) = &atom.kind else {
            self.mismatch(atom, BaseType::Name(kind));
            return None;
        };
        self.resolve(name, atom.span, kind)
    }

    /// Resolves a name written as an identifier.
    pub fn expect_ident(&mut self, ident: &Ident, kind: NameKind) -> Option<String> {
        let as_atom = Atom {
            kind: AtomKind::Name(ident.text.clone()),
            span: ident.span,
        };
        if self.check_param(&as_atom, BaseType::Name(kind)) {
            return None;
        }
        self.resolve(&ident.text, ident.span, kind)
    }

    fn resolve(&mut self, name: &str, span: Span, kind: NameKind) -> Option<String> {
        match self.symbols.get(name) {
            Some(symbol) if symbol.kind == kind => Some(name.to_string()),
            Some(symbol) => {
                self.error(CampError::WrongKindOfName {
                    name: name.to_string(),
                    span,
                    expected: kind,
                    found: symbol.kind,
                    declared: symbol.span,
                });
                None
            }
            None => {
                let suggestion = self.symbols.suggest(name, kind);
                self.error(CampError::UnknownName {
                    name: name.to_string(),
                    span,
                    expected: kind,
                    suggestion,
                });
                None
            }
        }
    }

    /// A list of declared names, `any`, or a list-typed parameter.
    /// Returns `Some(None)` for `any`, `Some(Some(names))` for a list.
    pub fn expect_names(
        &mut self,
        term: &Term,
        kind: NameKind,
        field: &str,
    ) -> Option<Option<Vec<(String, Span)>>> {
        match term {
            Term::Atom(atom) => {
                if matches!(atom.kind, AtomKind::Any) {
                    return Some(None);
                }
                if let Some((name, ty, _)) = self.param(atom) {
                    if !(ty.list && ty.base == BaseType::Name(kind)) && ty.base != BaseType::Unknown
                    {
                        self.error(CampError::TypeMismatch {
                            span: atom.span,
                            expected: format!("a list of {} names", kind.as_str()),
                            found: format!("parameter `{name}` of type `{}`", ty.display()),
                            help: Some(format!(
                                "declare `{name}` as `[{}]`, or write `[{name}]`",
                                BaseType::Name(kind).as_str()
                            )),
                        });
                    }
                    return None;
                }
                self.error(CampError::TypeMismatch {
                    span: atom.span,
                    expected: format!("a list of {} names", kind.as_str()),
                    found: describe_atom(atom),
                    help: Some(format!(
                        "write a list, e.g. `{field}: [{}]`",
                        match &atom.kind {
                            AtomKind::Name(name) => name.as_str(),
                            _ => "…",
                        }
                    )),
                });
                None
            }
            Term::List(list) => {
                let mut names: Vec<(String, Span)> = Vec::with_capacity(list.items.len());
                let mut complete = true;
                for item in &list.items {
                    match self.expect_name(item, kind) {
                        Some(name) => {
                            if let Some((_, first)) =
                                names.iter().find(|(existing, _)| *existing == name)
                            {
                                let first = *first;
                                self.error(CampError::DuplicateListItem {
                                    name,
                                    span: item.span,
                                    first,
                                });
                            } else {
                                names.push((name, item.span));
                            }
                        }
                        None => complete = false,
                    }
                }
                if complete { Some(Some(names)) } else { None }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_name_reads_back() {
        for name in TypeName::VARIANTS {
            assert_eq!(BaseType::from(name).as_str(), name.as_str());
            assert_eq!(BaseType::parse(name.as_str()), Some(BaseType::from(name)));
        }
    }

    #[test]
    fn suggestions_are_capped_and_deterministic() {
        let candidates = ["government_subsidy", "platform_coupon", "bank_cofund"];
        assert_eq!(
            suggest("goverment_subsidy", candidates).as_deref(),
            Some("government_subsidy")
        );
        assert_eq!(suggest("xyz", candidates), None);
        assert_eq!(suggest("ab", ["ac", "ab_", "aa"]).as_deref(), Some("aa"));
    }
}
