//! The IR's leaf values: each a type whose JSON form is checked when it is
//! deserialized (an id's characters, an ISO 4217 code, money at its
//! currency's exact scale, a rate in (0, 1], instants and local times, a
//! non-empty list).

use super::*;

/// A snake_case name declared in the schema or a campaign id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Id(String);

impl Id {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Id {
    type Error = IrError;
    fn try_from(text: String) -> Result<Id, IrError> {
        let mut chars = text.chars();
        let first_ok = chars
            .next()
            .is_some_and(|ch| ch.is_ascii_lowercase() || ch == '_');
        if first_ok && chars.all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_') {
            Ok(Id(text))
        } else {
            Err(invalid(format!("`{text}` is not a snake_case id")))
        }
    }
}

impl From<Id> for String {
    fn from(id: Id) -> String {
        id.0
    }
}

impl JsonSchema for Id {
    fn schema_name() -> Cow<'static, str> {
        "Id".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schema_from(serde_json::json!({
            "type": "string",
            "pattern": "^[a-z_][a-z0-9_]*$",
            "description": "A snake_case name from the package's schema, or a campaign id."
        }))
    }
}

/// An ISO 4217 currency with a minor unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CurrencyCode(pub Currency);

impl TryFrom<String> for CurrencyCode {
    type Error = IrError;
    fn try_from(text: String) -> Result<CurrencyCode, IrError> {
        match Currency::from_code(&text) {
            Some(currency) if currency.exponent().is_some() => Ok(CurrencyCode(currency)),
            _ => Err(invalid(format!(
                "`{text}` is not an ISO 4217 currency with a minor unit"
            ))),
        }
    }
}

impl From<CurrencyCode> for String {
    fn from(code: CurrencyCode) -> String {
        code.0.code().to_string()
    }
}

impl JsonSchema for CurrencyCode {
    fn schema_name() -> Cow<'static, str> {
        "CurrencyCode".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schema_from(serde_json::json!({
            "type": "string",
            "pattern": "^[A-Z]{3}$",
            "description": "An ISO 4217 currency code."
        }))
    }
}

/// Money: the amount as a decimal string at exactly the currency's scale
/// (`"2000.00"` for CNY, `"500"` for JPY). Never a JSON number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    pub amount: Decimal,
    pub currency: Currency,
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct MoneyRepr {
    /// The amount at exactly the currency's minor unit, e.g. `"2000.00"`.
    #[schemars(pattern(r"^[0-9]+(\.[0-9]+)?$"))]
    amount: String,
    currency: CurrencyCode,
}

impl Money {
    pub fn new(amount: Decimal, currency: Currency) -> Money {
        Money { amount, currency }
    }

    pub fn scale(currency: Currency) -> u32 {
        u32::from(currency.exponent().unwrap_or(0))
    }
}

impl Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut amount = self.amount;
        amount.rescale(Money::scale(self.currency));
        MoneyRepr {
            amount: amount.to_string(),
            currency: CurrencyCode(self.currency),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Money, D::Error> {
        let repr = MoneyRepr::deserialize(deserializer)?;
        let currency = repr.currency.0;
        let scale = Money::scale(currency);
        let well_formed = repr
            .amount
            .chars()
            .all(|ch| ch.is_ascii_digit() || ch == '.')
            && repr
                .amount
                .split_once('.')
                .map_or(scale == 0, |(whole, fraction)| {
                    !whole.is_empty() && u32::try_from(fraction.len()).ok() == Some(scale)
                });
        let amount = Decimal::from_str(&repr.amount).ok().filter(|_| well_formed).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "money amount `{}` must be a non-negative decimal with exactly {scale} decimals for {}",
                repr.amount,
                currency.code()
            ))
        })?;
        Ok(Money { amount, currency })
    }
}

impl JsonSchema for Money {
    fn schema_name() -> Cow<'static, str> {
        "Money".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        MoneyRepr::json_schema(generator)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut amount = self.amount;
        amount.rescale(Money::scale(self.currency));
        write!(f, "{} {}", self.currency.code(), amount)
    }
}

/// A rate as a fraction in (0, 1], as a decimal string: 15% is `"0.15"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Rate(Decimal);

impl Rate {
    pub fn from_fraction(fraction: Decimal) -> Result<Rate, IrError> {
        if fraction > Decimal::ZERO && fraction <= Decimal::ONE {
            Ok(Rate(fraction.normalize()))
        } else {
            Err(invalid(format!("rate `{fraction}` is outside (0, 1]")))
        }
    }

    pub fn fraction(self) -> Decimal {
        self.0
    }
}

impl TryFrom<String> for Rate {
    type Error = IrError;
    fn try_from(text: String) -> Result<Rate, IrError> {
        let value = Decimal::from_str(&text)
            .map_err(|_| invalid(format!("rate `{text}` is not a decimal")))?;
        Rate::from_fraction(value)
    }
}

impl From<Rate> for String {
    fn from(rate: Rate) -> String {
        rate.0.normalize().to_string()
    }
}

impl JsonSchema for Rate {
    fn schema_name() -> Cow<'static, str> {
        "Rate".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schema_from(serde_json::json!({
            "type": "string",
            "pattern": r"^(0(\.[0-9]*[1-9])?|1)$",
            "description": "A rate as a fraction in (0, 1], as a decimal string: 15% is \"0.15\"."
        }))
    }
}

/// A UTC instant, RFC 3339: `"2025-01-19T16:00:00Z"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Instant(pub jiff::Timestamp);

impl TryFrom<String> for Instant {
    type Error = IrError;
    fn try_from(text: String) -> Result<Instant, IrError> {
        if !text.ends_with('Z') {
            return Err(invalid(format!("instant `{text}` is not in UTC (`…Z`)")));
        }
        jiff::Timestamp::from_str(&text)
            .map(Instant)
            .map_err(|_| invalid(format!("`{text}` is not an RFC 3339 instant")))
    }
}

impl From<Instant> for String {
    fn from(instant: Instant) -> String {
        instant.0.to_string()
    }
}

impl JsonSchema for Instant {
    fn schema_name() -> Cow<'static, str> {
        "Instant".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schema_from(serde_json::json!({
            "type": "string",
            "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z$",
            "description": "A UTC instant in RFC 3339."
        }))
    }
}

/// A wall-clock time in the window's zone, as written: `"2025-01-20T00:00:00"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LocalDateTime(pub jiff::civil::DateTime);

impl TryFrom<String> for LocalDateTime {
    type Error = IrError;
    fn try_from(text: String) -> Result<LocalDateTime, IrError> {
        jiff::civil::DateTime::from_str(&text)
            .map(LocalDateTime)
            .map_err(|_| invalid(format!("`{text}` is not a local date and time")))
    }
}

impl From<LocalDateTime> for String {
    fn from(local: LocalDateTime) -> String {
        local.0.strftime("%Y-%m-%dT%H:%M:%S").to_string()
    }
}

impl JsonSchema for LocalDateTime {
    fn schema_name() -> Cow<'static, str> {
        "LocalDateTime".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schema_from(serde_json::json!({
            "type": "string",
            "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$",
            "description": "A wall-clock date and time in the window's zone, as the author wrote it."
        }))
    }
}

/// A list with at least one element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<T>", into = "Vec<T>")]
#[serde(bound(
    serialize = "T: Serialize + Clone",
    deserialize = "T: Deserialize<'de>"
))]
pub struct NonEmpty<T>(Vec<T>);

impl<T> NonEmpty<T> {
    pub fn new(items: Vec<T>) -> Result<NonEmpty<T>, IrError> {
        if items.is_empty() {
            Err(invalid("a list that must not be empty is empty"))
        } else {
            Ok(NonEmpty(items))
        }
    }

    pub fn as_slice(&self) -> &[T] {
        &self.0
    }
}

impl<T> TryFrom<Vec<T>> for NonEmpty<T> {
    type Error = IrError;
    fn try_from(items: Vec<T>) -> Result<NonEmpty<T>, IrError> {
        NonEmpty::new(items)
    }
}

impl<T> From<NonEmpty<T>> for Vec<T> {
    fn from(list: NonEmpty<T>) -> Vec<T> {
        list.0
    }
}

impl<T: JsonSchema> JsonSchema for NonEmpty<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("NonEmpty_{}", T::schema_name()).into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let items = generator.subschema_for::<T>();
        schema_from(serde_json::json!({
            "type": "array",
            "items": items,
            "minItems": 1
        }))
    }
}
