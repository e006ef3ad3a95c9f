//! The syntax tree: what was written, with spans, before any meaning.
//!
//! Fields of campaigns, templates, funds and the policy are all `Entry`s;
//! which fields an item may have, and what their values mean, is the
//! checker's business. Numbers are already exact decimals here (a literal
//! that does not fit is an `AtomKind::Invalid` plus an error).

use std::sync::Arc;

use rust_decimal::Decimal;

use crate::source::Span;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Docs {
    /// The text of each `///` line, without the slashes and one leading space.
    pub lines: Vec<String>,
}

impl Docs {
    pub fn text(&self) -> Option<String> {
        if self.lines.is_empty() {
            None
        } else {
            Some(self.lines.join("\n"))
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub docs: Docs,
    pub kind: ItemKind,
    /// The whole item, doc comments excluded.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemKind {
    Schema(SchemaDecl),
    Fund(FundDecl),
    Policy(PolicyDecl),
    Template(TemplateDecl),
    Campaign(CampaignDecl),
    Test(TestDecl),
    /// (v2) `pool NAME { fund: …, budget: … }`
    Pool(PoolDecl),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SchemaKind {
    Scene,
    Category,
    Region,
    Segment,
    /// (v2) `merchant_group NAME { list: "…" }`
    MerchantGroup,
    /// (v2) `instrument NAME { kind: …, bins: […] }`
    Instrument,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaDecl {
    pub kind: SchemaKind,
    pub name: Ident,
    pub body: Option<Body>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundDecl {
    pub name: Ident,
    pub body: Body,
}

/// (v2) A budget shared by several campaigns of one fund.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolDecl {
    pub name: Ident,
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDecl {
    pub keyword: Span,
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateDecl {
    pub name: Ident,
    pub parameters: Vec<Parameter>,
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    pub name: Ident,
    pub ty: ParamTypeSyntax,
    pub range: Option<(Atom, Atom)>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamTypeSyntax {
    /// `Money`, `Region`, …
    pub name: Ident,
    /// Written as `[Region]`.
    pub list: bool,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignDecl {
    pub name: Ident,
    pub from: Option<FromClause>,
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FromClause {
    pub template: Ident,
    pub arguments: Vec<Argument>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Argument {
    pub name: Ident,
    pub value: Term,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    pub entries: Vec<Entry>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub docs: Docs,
    /// The field name (`reward`, `limit`, …), or `rollout` for the block.
    pub key: Ident,
    pub value: EntryValue,
    /// The whole entry, from the key to the end of its value.
    pub span: Span,
}

/// The large forms are boxed: most entries are `Generic`, and a campaign
/// has a dozen entries, so the size of this enum is most of a syntax tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryValue {
    Reward(Box<RewardSyntax>),
    Limit(Box<LimitSyntax>),
    Window(Box<WindowSyntax>),
    Guard(Box<GuardSyntax>),
    Stacking(StackingSyntax),
    /// `expected_peak: 2_000 per 1s`, `capacity: 20_000 per 1s`
    Throughput(Box<ThroughputSyntax>),
    /// `approvals: 1 up_to CNY 100_000.00, HKD 110_000.00`
    Approvals(Box<ApprovalsSyntax>),
    Rollout(Vec<StageSyntax>),
    /// Any other field: comma-separated clauses of terms.
    Generic(Vec<Clause>),
    /// `hours: 10:00 to 12:00`
    Hours(Box<HoursSyntax>),
    /// (v2) `claim { window: …, inventory: …, per_user: …, valid_for: … }`:
    /// its fields, as any body's.
    Claim(Box<Body>),
}

/// `hours: 10:00 to 12:00`: a daily time range, start and end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursSyntax {
    pub start: ClockSyntax,
    pub end: ClockSyntax,
}

/// A time of day as written (`10:00`, `24:00`); the checker says whether
/// it is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockSyntax {
    pub hour: u8,
    pub minute: u8,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThroughputSyntax {
    pub count: Atom,
    pub per: Atom,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalsSyntax {
    pub count: Atom,
    pub up_to: Vec<Atom>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub terms: Vec<Term>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    Atom(Atom),
    List(List),
}

impl Term {
    pub fn span(&self) -> Span {
        match self {
            Term::Atom(atom) => atom.span,
            Term::List(list) => list.span,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List {
    pub items: Vec<Atom>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Atom {
    pub kind: AtomKind,
    pub span: Span,
}

/// A duration's unit (`s`, `min`, `h`, `d`): the language's, from
/// `camp-lang`.
pub use camp_lang::vocab::DurationUnit;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AtomKind {
    /// `CNY 2_000.00`; `scale` is the number of decimals as written.
    Money {
        currency: String,
        currency_span: Span,
        amount: Decimal,
        scale: u32,
    },
    /// `15%`, stored as the percent number (15).
    Rate(Decimal),
    /// `30s`, `15min`, `2h`, `7d`
    Duration {
        value: u64,
        unit: DurationUnit,
    },
    /// `10_000` (integer) or `12.5` (decimal).
    Number {
        value: Decimal,
        integer: bool,
    },
    Text(String),
    Bool(bool),
    /// `any`
    Any,
    /// A lowercase name: a schema item, a parameter, a word like `user`.
    Name(String),
    /// An uppercase word: `CNY` in `currencies: [CNY]`, a type.
    Upper(String),
    Instant(InstantSyntax),
    /// A literal that was already reported (e.g. a number too large).
    Invalid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstantSyntax {
    pub year: i16,
    pub month: i8,
    pub day: i8,
    pub hour: i8,
    pub minute: i8,
    pub second: i8,
    /// Whether the seconds are written (`23:59:59`, not `23:59`).
    pub has_seconds: bool,
    pub span: Span,
}

/// A reward's syntax is with the rest of what the compiler does by reward
/// form (`crate::reward`).
pub use crate::reward::{
    RewardFormSyntax, RewardOption, RewardOptionKind, RewardSyntax, TierSyntax,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitSyntax {
    pub amount: Atom,
    /// The words after `per`, in order: `user`, then `category`, then `day`.
    pub per: Vec<Ident>,
    /// `total` (`limit: 100_000 total`): the whole campaign over its window.
    pub total: Option<Span>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowSyntax {
    pub start: InstantSyntax,
    pub end: InstantSyntax,
    pub zone: Ident,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuardSyntax {
    /// `spend` or `redemptions`
    pub metric: Ident,
    pub threshold: Atom,
    pub per: Atom,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StackingSyntax {
    Exclusive(Span),
    StacksWith(List),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageSyntax {
    pub target: StageTarget,
    pub duration: Option<Atom>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StageTarget {
    Segment(Ident),
    Share(Atom),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestDecl {
    pub name: TestName,
    /// The lines in order: they run in order on one evaluator state.
    pub lines: Vec<TestLine>,
}

/// Whom a test runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestName {
    /// `test sh_2025 { … }`: that campaign alone.
    Campaign(Ident),
    /// `test "festival stacking" { … }`: the whole package.
    Package { text: String, span: Span },
}

impl TestName {
    /// The campaign's name, or the string as written (unquoted).
    pub fn text(&self) -> &str {
        match self {
            TestName::Campaign(ident) => &ident.text,
            TestName::Package { text, .. } => text,
        }
    }

    pub fn span(&self) -> Span {
        match self {
            TestName::Campaign(ident) => ident.span,
            TestName::Package { span, .. } => *span,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestLine {
    Pay(PaySyntax),
    Claim(ClaimSyntax),
}

/// `pay CNY 1_000.00 at merchant_purchase, user alice, … => CNY 150.00 off`
/// One payment without a test around it or an expectation: the text of
/// `campc explain --pay`, written as a `pay` line writes its payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentSyntax {
    pub amount: Atom,
    pub scene: Ident,
    pub attributes: Vec<PayAttribute>,
    pub span: Span,
}

/// (v2) One claim without a test around it or an expectation: the text
/// of `campc explain --claim`, written as a `claim` line writes its claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimRequestSyntax {
    pub campaign: Ident,
    pub attributes: Vec<PayAttribute>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaySyntax {
    pub amount: Atom,
    pub scene: Ident,
    pub attributes: Vec<PayAttribute>,
    pub expected: ExpectedSyntax,
    pub span: Span,
}

/// One attribute of a `pay` or `claim` line, keyword included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayAttribute {
    pub keyword: Span,
    pub value: PayAttributeValue,
}

impl PayAttribute {
    /// The whole attribute, keyword to value.
    pub fn span(&self) -> Span {
        let end = match &self.value {
            PayAttributeValue::Schema(_, ident)
            | PayAttributeValue::Group(ident)
            | PayAttributeValue::Merchant(ident)
            | PayAttributeValue::User(ident)
            | PayAttributeValue::Device(ident)
            | PayAttributeValue::Id(ident) => ident.span,
            PayAttributeValue::Card {
                instrument,
                identity,
            } => identity
                .as_ref()
                .map_or(instrument.span, |identity| identity.span),
            PayAttributeValue::Ip(text) => text.span,
            PayAttributeValue::Time { instant, zone } => {
                zone.as_ref().map_or(instant.span, |zone| zone.span)
            }
        };
        self.keyword.to(end)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayAttributeValue {
    /// `category NAME`, `region NAME`, `segment NAME` (never `Scene`: the
    /// scene follows `at`).
    Schema(SchemaKind, Ident),
    /// `group MERCHANT_GROUP` (v2: merchant groups).
    Group(Ident),
    Merchant(Ident),
    User(Ident),
    Device(Ident),
    /// `id NAME`: the payment's id (repeat one to test a replay).
    Id(Ident),
    /// `card INSTRUMENT ["ID"]` (v2: instruments).
    Card {
        instrument: Ident,
        identity: Option<TextSyntax>,
    },
    /// `ip "10.0.0.1"`
    Ip(TextSyntax),
    /// `time 2025-02-03 10:30 [ZONE]`
    Time {
        instant: InstantSyntax,
        zone: Option<Ident>,
    },
}

impl PayAttributeValue {
    /// The word that introduces the attribute in a `pay` or `claim` line
    /// (`at` for a scene, `group` for a merchant group or an instrument
    /// named as a schema name).
    pub fn word(&self) -> &'static str {
        use camp_lang::keyword::{Item, Word};
        match self {
            PayAttributeValue::Schema(kind, _) => match kind {
                SchemaKind::Scene => Word::At.as_str(),
                SchemaKind::Category => Item::Category.as_str(),
                SchemaKind::Region => Item::Region.as_str(),
                SchemaKind::Segment => Item::Segment.as_str(),
                SchemaKind::MerchantGroup | SchemaKind::Instrument => Word::Group.as_str(),
            },
            PayAttributeValue::Group(_) => Word::Group.as_str(),
            PayAttributeValue::Merchant(_) => Word::Merchant.as_str(),
            PayAttributeValue::User(_) => Word::User.as_str(),
            PayAttributeValue::Device(_) => Word::Device.as_str(),
            PayAttributeValue::Id(_) => Word::Id.as_str(),
            PayAttributeValue::Card { .. } => Word::Card.as_str(),
            PayAttributeValue::Ip(_) => Word::Ip.as_str(),
            PayAttributeValue::Time { .. } => Word::Time.as_str(),
        }
    }
}

/// A string as written, unquoted and unescaped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextSyntax {
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscountKind {
    /// `=> CNY 10.00 off`
    Off,
    /// `=> CNY 10.00 back` (v2: `back` rewards)
    Back,
}

/// What a `pay` line expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExpectedSyntax {
    /// `=> CNY 10.00 off [from [a, b]]`
    Discount {
        amount: Atom,
        kind: DiscountKind,
        keyword: Span,
        from: Option<List>,
        span: Span,
    },
    /// `=> no discount`, `=> no discount: limit [from [a]]`
    NoDiscount {
        reason: Option<Ident>,
        from: Option<List>,
        span: Span,
    },
    /// `=> refused: conflicting replay`
    ConflictingReplay { span: Span },
}

impl ExpectedSyntax {
    pub fn span(&self) -> Span {
        match self {
            ExpectedSyntax::Discount { span, .. }
            | ExpectedSyntax::NoDiscount { span, .. }
            | ExpectedSyntax::ConflictingReplay { span } => *span,
        }
    }
}

/// `claim CAMPAIGN, user NAME, time … => claimed` (v2: claims).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimSyntax {
    pub keyword: Span,
    pub campaign: Ident,
    pub attributes: Vec<PayAttribute>,
    pub expected: ClaimOutcomeSyntax,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimOutcomeSyntax {
    Claimed(Span),
    /// `refused: inventory | per_user | window`
    Refused(Ident),
}

/// One parsed file: the items that parsed, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedFile {
    pub items: Items,
}

/// A file's items, shared: a copy is a reference to the same items, so
/// the language server's parse cache and each analysis that re-uses an
/// unchanged file hold one tree, never a copy of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Items(Arc<Vec<Item>>);

impl Items {
    /// Adds an item at the end (a copy of the items first, if shared).
    pub fn push(&mut self, item: Item) {
        Arc::make_mut(&mut self.0).push(item);
    }

    /// The items to change (a copy of them first, if shared).
    pub fn make_mut(&mut self) -> &mut Vec<Item> {
        Arc::make_mut(&mut self.0)
    }

    /// Whether `self` and `other` are the very same items (not a copy):
    /// then they are equal without comparing them.
    pub fn same(&self, other: &Items) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl From<Vec<Item>> for Items {
    fn from(items: Vec<Item>) -> Items {
        Items(Arc::new(items))
    }
}

impl std::ops::Deref for Items {
    type Target = [Item];

    fn deref(&self) -> &[Item] {
        &self.0
    }
}

impl<'a> IntoIterator for &'a Items {
    type Item = &'a Item;
    type IntoIter = std::slice::Iter<'a, Item>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}
