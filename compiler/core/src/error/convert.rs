//! The one conversion of a [`CampError`] into a [`Diagnostic`]: one
//! exhaustive match by variant, each arm calling its family's module
//! (`error/text.rs`, …), and the mechanical fix when there is one.

use super::*;

impl CampError {
    pub fn span(&self) -> Span {
        self.clone().into_diagnostic().primary.span
    }

    /// The one conversion into the diagnostic every edge renders.
    pub fn into_diagnostic(self) -> Diagnostic {
        let fix = self.fix();
        let mut diagnostic = self.into_diagnostic_without_fix();
        diagnostic.fixes.extend(fix);
        diagnostic
    }

    /// The mechanical fix, when there is one: a misspelled name replaced
    /// by its close match (the span covers exactly the misspelled text),
    /// or an uncapped percentage capped at its fund's `max_per_use`.
    fn fix(&self) -> Option<Fix> {
        use CampError::*;
        match self {
            UnknownField {
                span, suggestion, ..
            }
            | UnknownName {
                span, suggestion, ..
            }
            | UnknownCurrency {
                span, suggestion, ..
            }
            | UnknownTimeZone {
                span, suggestion, ..
            }
            | UnknownWord {
                span, suggestion, ..
            }
            | UnknownArgument {
                span, suggestion, ..
            }
            | UnknownParameterType {
                span, suggestion, ..
            } => suggestion
                .clone()
                .map(|suggestion| Fix::replace(*span, suggestion)),
            // The field's name only: its value (an amount, a window, a
            // fund) is the author's decision, and until it is written the
            // campaign does not compile.
            MissingField { field, body, .. } => Some(Fix {
                title: format!("add `{field}:` and write its value"),
                edits: vec![Edit {
                    span: Span {
                        start: body.start.saturating_add(1),
                        end: body.start.saturating_add(1),
                        ..*body
                    },
                    new_text: format!("\n  {field}: "),
                }],
                kind: FixKind::NeedsValue,
            }),
            LowercaseCurrency { written, span, .. } => {
                Some(Fix::replace(*span, written.to_ascii_uppercase()))
            }
            NumberNotation {
                span,
                decimal: Some(decimal),
                ..
            } => Some(Fix::replace(*span, decimal.clone())),
            UncappedPercentage {
                contract_cap: Some((at, cap)),
                ..
            } => Some(Fix {
                title: format!("add a cap at the fund's `max_per_use`, `{cap}`"),
                edits: vec![Edit {
                    span: *at,
                    new_text: format!(", cap {cap}"),
                }],
                kind: FixKind::Complete,
            }),
            _ => None,
        }
    }

    fn into_diagnostic_without_fix(self) -> Diagnostic {
        use CampError::*;
        let error_code = self.code();
        match self {
            InvalidUtf8 { span, line } => text::invalid_utf8(error_code, span, line),
            Utf16 { span, big_endian } => text::utf16(error_code, span, big_endian),
            FileTooLarge { span, bytes, limit } => {
                text::file_too_large(error_code, span, bytes, limit)
            }
            LookAlike {
                span,
                found,
                ascii,
                description,
            } => text::look_alike(error_code, span, found, ascii, description),
            NonAscii { span, text } => text::non_ascii(error_code, span, text),
            Syntax {
                span,
                expected,
                found,
                hint,
            } => text::syntax(error_code, span, expected, found, hint),
            DanglingDoc { span } => text::dangling_doc(error_code, span),
            NumberNotation {
                span,
                text,
                notation,
                decimal,
            } => text::number_notation(error_code, span, text, notation, decimal),
            InvalidEscape {
                span,
                escape,
                problem,
            } => text::invalid_escape(error_code, span, escape, problem),
            NumberTooLarge { span, text, what } => {
                text::number_too_large(error_code, span, text, what)
            }
            ControlCharacter {
                span,
                ch,
                region,
                others,
            } => text::control_character(error_code, span, ch, region, others),
            BidiControl {
                span,
                ch,
                region,
                others,
            } => text::bidi_control(error_code, span, ch, region, others),
            DuplicateDeclaration { name, span, first } => {
                names::duplicate_declaration(error_code, name, span, first)
            }
            UnknownField {
                field,
                span,
                owner,
                suggestion,
            } => names::unknown_field(error_code, field, span, owner, suggestion),
            UnknownName {
                name,
                span,
                expected,
                suggestion,
            } => names::unknown_name(error_code, name, span, expected, suggestion),
            WrongKindOfName {
                name,
                span,
                expected,
                found,
                declared,
            } => names::wrong_kind_of_name(error_code, name, span, expected, found, declared),
            DuplicateField { field, span, first } => {
                names::duplicate_field(error_code, field, span, first)
            }
            MissingField {
                field,
                span,
                owner,
                help,
                ..
            } => names::missing_field(error_code, field, span, owner, help),
            UnknownCurrency {
                code,
                span,
                suggestion,
            } => names::unknown_currency(error_code, code, span, suggestion),
            LowercaseCurrency {
                written,
                span,
                amount,
            } => names::lowercase_currency(error_code, written, span, amount),
            UnknownTimeZone {
                zone,
                span,
                suggestion,
            } => names::unknown_time_zone(error_code, zone, span, suggestion),
            UnknownWord {
                word,
                span,
                what,
                allowed,
                suggestion,
            } => names::unknown_word(error_code, word, span, what, allowed, suggestion),
            SecondPolicy { span, first } => names::second_policy(error_code, span, first),
            DuplicateListItem { name, span, first } => {
                names::duplicate_list_item(error_code, name, span, first)
            }
            TypeMismatch {
                span,
                expected,
                found,
                help,
            } => types::type_mismatch(error_code, span, expected, found, help),
            CurrencyPrecision {
                span,
                currency,
                written,
                minor_unit,
            } => types::currency_precision(error_code, span, currency, written, minor_unit),
            CurrencyNotAllowed {
                span,
                currency,
                allowed,
                policy,
            } => types::currency_not_allowed(error_code, span, currency, allowed, policy),
            MixedCurrencies {
                span,
                found,
                expected,
                first,
            } => types::mixed_currencies(error_code, span, found, expected, first),
            RateOutOfRange { span, rate } => types::rate_out_of_range(error_code, span, rate),
            RateAbovePolicy {
                span,
                excess,
                max,
                policy,
            } => types::rate_above_policy(error_code, span, *excess, max, policy),
            NotPositive { span, what } => types::not_positive(error_code, span, what),
            EmptyList { span, field } => types::empty_list(error_code, span, field),
            CurrencyWithoutMinorUnit { span, currency } => {
                types::currency_without_minor_unit(error_code, span, currency)
            }
            DurationTooLong { span, written } => {
                types::duration_too_long(error_code, span, written)
            }
            SceneNotInFund {
                span,
                scenes,
                fund,
                fund_scenes,
                via_any,
                allowed,
            } => contracts::scene_not_in_fund(
                error_code,
                span,
                scenes,
                fund,
                fund_scenes,
                via_any,
                allowed,
            ),
            CategoryNotInFund {
                span,
                category,
                fund,
                fund_categories,
            } => contracts::category_not_in_fund(error_code, span, category, fund, fund_categories),
            FundRequires {
                span,
                requirement,
                fund,
                requires,
                help,
            } => contracts::fund_requires(error_code, span, requirement, fund, requires, help),
            RateAboveFund {
                span,
                excess,
                max,
                fund,
                fund_max,
            } => contracts::rate_above_fund(error_code, span, *excess, max, fund, fund_max),
            RewardAboveMaxPerUse {
                span,
                reward,
                max,
                fund,
                fund_max,
            } => contracts::reward_above_max_per_use(error_code, span, reward, max, fund, fund_max),
            BoundMissingCurrency {
                span,
                currency,
                bound,
                bound_span,
            } => contracts::bound_missing_currency(error_code, span, currency, bound, bound_span),
            MoneyMovementScene {
                span,
                scenes,
                fund,
                via_any,
                allowed,
            } => contracts::money_movement_scene(error_code, span, scenes, fund, via_any, allowed),
            UncappedPercentage {
                span,
                rate,
                contract_cap,
            } => rewards::uncapped_percentage(error_code, span, rate, contract_cap),
            TiersNotIncreasing { span, previous } => {
                rewards::tiers_not_increasing(error_code, span, previous)
            }
            TierRewardNotBelowSpend {
                span,
                reward,
                spend,
            } => rewards::tier_reward_not_below_spend(error_code, span, reward, spend),
            InvalidRandomRange { span, low, high } => {
                rewards::invalid_random_range(error_code, span, low, high)
            }
            ExposureAboveApprovals {
                span,
                exposure,
                top,
                approvals,
            } => rewards::exposure_above_approvals(error_code, span, exposure, top, approvals),
            InvalidRollout {
                span,
                problem,
                label,
                help,
            } => rewards::invalid_rollout(error_code, span, problem, label, help),
            EmptyTiers { span } => rewards::empty_tiers(error_code, span),
            InvalidApprovalTiers {
                span,
                problem,
                help,
            } => rewards::invalid_approval_tiers(error_code, span, problem, help),
            StacksWithItself { span } => rewards::stacks_with_itself(error_code, span),
            OneSidedStacking {
                span,
                campaign,
                other,
                other_span,
                other_side,
            } => rewards::one_sided_stacking(
                error_code, span, campaign, other, other_span, other_side,
            ),
            EmptyWindow { span, start, end } => windows::empty_window(error_code, span, start, end),
            InvalidInstant {
                span,
                text,
                reason,
                help,
            } => windows::invalid_instant(error_code, span, text, reason, help),
            NonexistentLocalTime { span, text, zone } => {
                windows::nonexistent_local_time(error_code, span, text, zone)
            }
            ArgumentType {
                span,
                parameter,
                expected,
                found,
                parameter_span,
                help,
            } => templates::argument_type(
                error_code,
                span,
                parameter,
                expected,
                found,
                parameter_span,
                help,
            ),
            ArgumentOutOfRange {
                span,
                parameter,
                value,
                low,
                high,
                range_span,
            } => templates::argument_out_of_range(
                error_code, span, parameter, value, low, high, range_span,
            ),
            MissingArgument {
                span,
                parameter,
                template,
                parameter_span,
            } => templates::missing_argument(error_code, span, parameter, template, parameter_span),
            UnknownArgument {
                span,
                name,
                template,
                suggestion,
            } => templates::unknown_argument(error_code, span, name, template, suggestion),
            FieldFixedByTemplate {
                span,
                field,
                template,
                fixed_at,
            } => templates::field_fixed_by_template(error_code, span, field, template, fixed_at),
            UnknownParameterType {
                span,
                ty,
                suggestion,
            } => templates::unknown_parameter_type(error_code, span, ty, suggestion),
            InvalidParameterRange { span, problem } => {
                templates::invalid_parameter_range(error_code, span, problem)
            }
            DuplicateArgument { name, span, first } => {
                templates::duplicate_argument(error_code, name, span, first)
            }
            Manifest { span, problem } => manifest::problem(error_code, span, problem),
            TestDiscountAbovePayment {
                span,
                expected,
                payment,
                payment_span,
            } => tests::discount_above_payment(error_code, span, expected, payment, payment_span),
            TestDiscountCurrency {
                span,
                expected,
                payment,
                payment_span,
            } => tests::discount_currency(error_code, span, expected, payment, payment_span),
            TestCampaignCurrency {
                span,
                campaign,
                campaign_currency,
                payment,
                campaign_span,
            } => tests::campaign_currency(
                error_code,
                span,
                campaign,
                campaign_currency,
                payment,
                campaign_span,
            ),
            TestTimeBackwards {
                span,
                time,
                previous,
                previous_span,
            } => tests::time_backwards(error_code, span, time, previous, previous_span),
            TestTimeWithoutZone { span, test } => tests::time_without_zone(error_code, span, test),
            TestWithoutStart { span, test } => tests::without_start(error_code, span, test),
            PaymentTimeWithoutZone {
                span,
                currency,
                zones,
            } => tests::payment_time_without_zone(error_code, span, currency, zones),
            TestCampaignNotRun {
                span,
                campaign,
                test,
                test_span,
            } => tests::campaign_not_run(error_code, span, campaign, test, test_span),
            InvalidBin { span, bin, problem } => who::invalid_bin(error_code, span, bin, problem),
            BinsNotCard {
                span,
                instrument,
                kind,
                kind_span,
            } => who::bins_not_card(error_code, span, instrument, kind, kind_span),
            BinOverlap {
                span,
                bin,
                instrument,
                other_bin,
                other,
                other_span,
            } => who::bin_overlap(
                error_code, span, bin, instrument, other_bin, other, other_span,
            ),
            MerchantGroupNotInFund {
                span,
                group,
                fund,
                fund_merchants,
            } => who::merchant_group_not_in_fund(error_code, span, group, fund, fund_merchants),
            EmptyMerchantList { span, group } => who::empty_merchant_list(error_code, span, group),
            LimitDimensionTwice {
                span,
                dimension,
                first,
            } => schedules::limit_dimension_twice(error_code, span, dimension, first),
            LimitPeriodNotLast {
                span,
                period,
                rewritten,
            } => schedules::limit_period_not_last(error_code, span, period, rewritten),
            LimitTwoPeriods {
                span,
                period,
                first,
            } => schedules::limit_two_periods(error_code, span, period, first),
            LimitMoneyTotal { span } => schedules::limit_money_total(error_code, span),
            InvalidClock { span, text } => schedules::invalid_clock(error_code, span, text),
            ClockEndOfDayAsStart { span } => schedules::end_of_day_as_start(error_code, span),
            HoursNotIncreasing { span, start, end } => {
                schedules::hours_not_increasing(error_code, span, start, end)
            }
            HoursOverlap {
                span,
                range,
                other,
                other_span,
                merged,
            } => schedules::hours_overlap(error_code, span, range, other, other_span, merged),
            EmptySchedule { span, window } => schedules::empty_schedule(error_code, span, window),
            PoolOfOtherFund {
                span,
                pool,
                pool_fund,
                pool_fund_span,
                campaign_fund,
                campaign_fund_span,
            } => pools::pool_of_other_fund(
                error_code,
                span,
                pool,
                (pool_fund, pool_fund_span),
                (campaign_fund, campaign_fund_span),
            ),
            PoolMissingCurrency {
                span,
                pool,
                currency,
                budget_span,
            } => pools::pool_missing_currency(error_code, span, pool, currency, budget_span),
            PoolExposureAboveApprovals {
                span,
                pool,
                exposure,
                top,
                approvals,
            } => pools::pool_exposure_above_approvals(
                error_code, span, pool, exposure, top, approvals,
            ),
            PoolTierMissingCurrency {
                span,
                pool,
                currency,
                tier_span,
            } => pools::pool_tier_missing_currency(error_code, span, pool, currency, tier_span),
            MaxSpendBelowMinSpend {
                span,
                max_spend,
                min_spend,
                min_span,
            } => {
                rewards::max_spend_below_min_spend(error_code, span, max_spend, min_spend, min_span)
            }
            UncappedEvery { span, written } => rewards::uncapped_every(error_code, span, written),
            EveryRewardNotBelowStep { span, reward, step } => {
                rewards::every_reward_not_below_step(error_code, span, reward, step)
            }
            UnboundedPrice { span, price } => rewards::unbounded_price(error_code, span, price),
            MaxSpendNotAbovePrice {
                span,
                max_spend,
                price,
                price_span,
            } => rewards::max_spend_not_above_price(error_code, span, max_spend, price, price_span),
            MixedRewardVerbs { span, off } => rewards::mixed_reward_verbs(error_code, span, off),
            BackWithoutCredit { span } => rewards::back_without_credit(error_code, span),
            CreditOnOff { span, off } => rewards::credit_on_off(error_code, span, off),
            PointsWithoutValue { span } => rewards::points_without_value(error_code, span),
            PointValueWithoutPoints { span, kind } => {
                rewards::point_value_without_points(error_code, span, kind)
            }
            ClaimWindowOutside {
                span,
                campaign_window,
            } => claims::window_outside(error_code, span, campaign_window),
            ClaimPerUserAboveInventory {
                span,
                per_user,
                inventory,
                inventory_span,
            } => claims::per_user_above_inventory(
                error_code,
                span,
                per_user,
                inventory,
                inventory_span,
            ),
            ClaimWithoutBlock {
                span,
                campaign,
                declared,
            } => claims::without_block(error_code, span, campaign, declared),
            ClaimWithoutUser { span } => claims::without_user(error_code, span),
            ClaimAttribute { span, attribute } => claims::attribute(error_code, span, attribute),
            ClaimOtherCampaign {
                span,
                campaign,
                test,
            } => claims::other_campaign(error_code, span, campaign, test),
            InCampaign {
                campaign,
                template,
                campaign_span,
                error,
            } => error.into_diagnostic().with_label(Label::new(
                campaign_span,
                format!("in campaign `{campaign}`, made from template `{template}`"),
            )),
        }
    }
}

impl From<CampError> for Diagnostic {
    fn from(error: CampError) -> Diagnostic {
        error.into_diagnostic()
    }
}
