//! Building the IR (the `camp-ir` crate) from the checked model: only for a
//! package with no errors, normalized, deterministic (same input, same
//! bytes). The IR's types, canonical JSON and schemas are `camp-ir`'s; they
//! are re-exported here so the compiler's callers need one path.
//!
//! Every struct of the checked model is destructured with all its fields
//! (no `..`; a field left out of the IR is named and bound to `_`) and
//! every enum matched without a catch-all arm: a new field or form of the
//! model fails to compile here until it is written to the IR or
//! deliberately left out.

pub use camp_ir::{canonical, json_schemas, types};

use std::collections::BTreeMap;

use crate::check::model::{self as m, CampaignModel, Model};
use crate::package::Analysis;
use crate::source::SourceMap;
use camp_ir::types::*;

/// The files of a built package, relative to the output folder, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IrFiles {
    pub files: Vec<(String, Vec<u8>)>,
    pub manifest: Manifest,
}

/// Builds the IR, or `None` if the package has any error: the IR exists
/// only for a correct program. (Whether lint findings stop a build is the
/// caller's choice: `campc build` stops on `deny` findings.)
pub fn build(analysis: &Analysis) -> Result<Option<IrFiles>, IrError> {
    if analysis.has_compile_errors() {
        return Ok(None);
    }
    build_model(analysis.name.as_deref(), &analysis.model, &analysis.sources).map(Some)
}

/// Builds the IR of a checked model: `name` is the package's (`camp.toml`),
/// `sources` the files the model's spans point into. The model must be
/// complete, that is, from a package without compile errors ([`build`]
/// checks this).
pub fn build_model(
    name: Option<&str>,
    model: &Model,
    sources: &SourceMap,
) -> Result<IrFiles, IrError> {
    // The tests are not part of the IR: `campc test` runs them against it.
    let Model {
        schema,
        campaigns,
        tests: _,
        pools,
    } = model;
    // Each campaign's document is built, hashed and serialized on its own,
    // in parallel; they are then taken in the model's order, so the files,
    // the manifest and the first error reported are the same as one by one.
    let built: Vec<Result<CampaignFile, IrError>> = {
        use rayon::prelude::*;
        campaigns
            .par_iter()
            .map(|campaign| campaign_file(campaign, schema, sources))
            .collect()
    };
    let mut files = Vec::with_capacity(campaigns.len() + 1);
    let mut entries = Vec::with_capacity(campaigns.len());
    for result in built {
        let (entry, file) = result?;
        entries.push(entry);
        files.push(file);
    }
    let package = Package {
        name: name.map(String::from),
        schema: schema_ir(schema)?,
        campaigns: entries,
        pools: pools
            .iter()
            .map(pool_entry)
            .collect::<Result<Vec<_>, IrError>>()?,
    };
    validate_pools(&package)?;
    let manifest = Manifest {
        ir_version: IR_VERSION.to_string(),
        sha256: canonical::sha256_of(&package)?,
        package,
    };
    files.insert(
        0,
        (
            String::from("manifest.json"),
            canonical::pretty(&manifest)?.into_bytes(),
        ),
    );
    Ok(IrFiles { files, manifest })
}

/// One campaign's manifest entry and its file: path and canonical bytes.
type CampaignFile = (CampaignEntry, (String, Vec<u8>));

/// Builds one campaign's [`CampaignFile`].
fn campaign_file(
    campaign: &CampaignModel,
    schema: &m::Schema,
    sources: &SourceMap,
) -> Result<CampaignFile, IrError> {
    let ir = campaign_ir(campaign, schema, sources)?;
    validate_campaign(&ir)?;
    let sha256 = canonical::sha256_of(&ir)?;
    let document = CampaignDocument {
        ir_version: IR_VERSION.to_string(),
        sha256: sha256.clone(),
        campaign: ir,
    };
    let file = format!("campaigns/{}.json", campaign.id);
    let entry = CampaignEntry {
        id: id(&campaign.id)?,
        file: file.clone(),
        sha256,
        max_exposure: money(campaign.exposure.amount),
        approvals_required: campaign.approvals_required,
    };
    Ok((entry, (file, canonical::pretty(&document)?.into_bytes())))
}

/// The IR of every campaign of a checked model, in the model's order, not
/// serialized: what `campc diff` compares (see [`crate::diff`]). The model
/// must be complete, as for [`build_model`].
pub fn build_campaigns(model: &Model, sources: &SourceMap) -> Result<Vec<Campaign>, IrError> {
    use rayon::prelude::*;
    model
        .campaigns
        .par_iter()
        .map(|campaign| {
            let ir = campaign_ir(campaign, &model.schema, sources)?;
            validate_campaign(&ir)?;
            Ok(ir)
        })
        .collect()
}

fn id(text: &str) -> Result<Id, IrError> {
    Id::try_from(text.to_string())
}

fn ids(texts: &[String]) -> Result<Vec<Id>, IrError> {
    texts.iter().map(|text| id(text)).collect()
}

fn money(value: m::Money) -> Money {
    Money::new(value.amount, value.currency)
}

fn rate(value: m::Rate) -> Result<Rate, IrError> {
    Rate::from_fraction(value.fraction())
}

fn scope(names: &Option<Vec<String>>) -> Result<Scope, IrError> {
    Ok(match names {
        None => Scope::Any,
        Some(names) => Scope::Only {
            ids: NonEmpty::new(ids(names)?)?,
        },
    })
}

fn fund_ir(fund: &m::FundDef) -> Result<Fund, IrError> {
    let m::FundDef {
        id: fund_id,
        doc: _,
        span: _,
        payer,
        scenes,
        scenes_span: _,
        categories,
        categories_span: _,
        requires,
        max_rate,
        max_per_use,
        max_per_use_span: _,
        merchants,
        merchants_span: _,
    } = fund;
    let mut requires: Vec<Requirement> = requires.iter().map(|(value, _)| *value).collect();
    requires.sort();
    requires.dedup();
    let mut max_per_use: Vec<Money> = max_per_use.iter().copied().map(money).collect();
    max_per_use.sort_by(|a, b| a.currency.code().cmp(b.currency.code()));
    let mut scenes = scenes.clone();
    scenes.sort();
    let categories = categories.clone().map(|mut names| {
        names.sort();
        names
    });
    Ok(Fund {
        id: id(fund_id)?,
        payer: *payer,
        scenes: NonEmpty::new(ids(&scenes)?)?,
        categories: scope(&categories)?,
        requires,
        max_rate: max_rate.map(|(value, _)| rate(value)).transpose()?,
        max_per_use,
        merchants: scope(&merchants.clone().map(|mut names| {
            names.sort();
            names
        }))?,
    })
}

fn campaign_ir(
    campaign: &CampaignModel,
    schema: &m::Schema,
    sources: &SourceMap,
) -> Result<Campaign, IrError> {
    let CampaignModel {
        id: campaign_id,
        doc,
        file: file_id,
        span,
        name_span: _,
        title,
        owner,
        template,
        currency,
        fund: fund_id,
        scenes: scene_ids,
        categories,
        regions,
        segments,
        window,
        reward,
        budget,
        limits,
        rollout,
        guards,
        stacking,
        expected_peak,
        exposure,
        approvals_required,
        spans: _,
        merchants,
        instruments,
        schedule,
        pool,
        claim,
    } = campaign;
    let fund = schema
        .funds
        .get(fund_id)
        .ok_or_else(|| IrError(format!("fund `{fund_id}` is not in the schema")))?;
    let file = sources
        .get(*file_id)
        .ok_or_else(|| IrError(String::from("campaign file is not in the package")))?;
    let start = file.line_column(span.start);
    let end = file.line_column(span.end);

    let mut scene_ids = scene_ids.clone();
    scene_ids.sort();
    let scenes = scene_ids
        .iter()
        .map(|scene| {
            Ok(Scene {
                id: id(scene)?,
                money_movement: schema
                    .scenes
                    .get(scene)
                    .is_some_and(|def| def.money_movement),
            })
        })
        .collect::<Result<Vec<_>, IrError>>()?;
    let sorted = |names: &Option<Vec<String>>| {
        names.clone().map(|mut names| {
            names.sort();
            names
        })
    };

    let m::Reward {
        form,
        min_spend,
        span: _,
        max_spend,
        credit,
    } = reward;
    // The reward form's IR is camp-ir's (`RewardForm::from_lang`), beside
    // its JSON form.
    let form = RewardForm::from_lang(form)?;

    let limits = limits
        .iter()
        .map(
            |m::Limit {
                 amount,
                 dimension,
                 period,
                 span: _,
                 more_dimensions,
             }| Limit {
                amount: match *amount {
                    m::LimitAmount::Count(count) => LimitAmount::Count { count },
                    m::LimitAmount::Money(value) => LimitAmount::Money {
                        money: money(value),
                    },
                },
                dimension: *dimension,
                period: *period,
                more_dimensions: more_dimensions.clone(),
            },
        )
        .collect();

    let rollout = match rollout {
        None => None,
        Some(stages) => Some(NonEmpty::new(
            stages
                .iter()
                .map(
                    |m::Stage {
                         target,
                         duration_seconds,
                     }| {
                        Ok(Stage {
                            target: match target {
                                m::StageTarget::Segment(segment) => StageTarget::Segment {
                                    segment: id(segment)?,
                                },
                                m::StageTarget::Percent(share) => StageTarget::Percent {
                                    share: rate(*share)?,
                                },
                            },
                            duration_seconds: *duration_seconds,
                        })
                    },
                )
                .collect::<Result<Vec<_>, IrError>>()?,
        )?),
    };

    let guards = guards
        .iter()
        .map(
            |m::Guard {
                 metric,
                 per_seconds,
                 span: _,
             }| Guard {
                metric: match *metric {
                    m::GuardMetric::Spend(above) => GuardMetric::Spend {
                        above: money(above),
                    },
                    m::GuardMetric::Redemptions(above) => GuardMetric::Redemptions { above },
                },
                per_seconds: *per_seconds,
            },
        )
        .collect();

    let stacking = match stacking {
        m::Stacking::Exclusive => Stacking::Exclusive,
        m::Stacking::StacksWith(partners) => Stacking::StacksWith {
            campaigns: NonEmpty::new(
                partners
                    .iter()
                    .map(
                        |m::StackPartner {
                             id: partner,
                             span: _,
                         }| id(partner),
                    )
                    .collect::<Result<Vec<_>, _>>()?,
            )?,
        },
    };

    let m::Exposure {
        amount: exposure_amount,
        bound,
        largest_single_reward,
    } = exposure;
    let bound = match *bound {
        m::ExposureBound::Budget => ExposureBound::Budget,
        m::ExposureBound::CampaignCount { count } => ExposureBound::CampaignCount { count },
        m::ExposureBound::PeriodAmount {
            period: value,
            periods,
        } => ExposureBound::PeriodAmount {
            period: value,
            periods,
        },
        m::ExposureBound::PeriodCount {
            period: value,
            periods,
            count,
        } => ExposureBound::PeriodCount {
            period: value,
            periods,
            count,
        },
        m::ExposureBound::Pool => ExposureBound::Pool,
        m::ExposureBound::ClaimInventory { inventory } => {
            ExposureBound::ClaimInventory { inventory }
        }
    };
    let pool = match pool {
        None => None,
        Some(pool_id) => {
            let budget = schema
                .pools
                .get(pool_id)
                .and_then(|def| def.budget_in(*currency))
                .ok_or_else(|| {
                    IrError(format!(
                        "pool `{pool_id}` has no budget in the campaign's currency"
                    ))
                })?;
            Some(PoolRef {
                id: id(pool_id)?,
                budget: money(budget),
            })
        }
    };

    let m::Window {
        start: window_start,
        end: window_end,
        zone,
        start_local,
        end_local,
        time_zone: _,
        span: _,
        end_span: _,
        end_has_seconds: _,
    } = window;

    Ok(Campaign {
        id: id(campaign_id)?,
        title: title.clone(),
        owner: owner.clone(),
        doc: doc.clone(),
        source: SourceLocation {
            file: file.relative_path.clone(),
            start: Position {
                line: start.line,
                column: start.column,
            },
            end: Position {
                line: end.line,
                column: end.column,
            },
        },
        template: match template.as_deref() {
            None => None,
            Some(m::TemplateUse {
                id: template_id,
                arguments,
            }) => Some(TemplateRef {
                id: id(template_id)?,
                arguments: arguments
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect::<BTreeMap<_, _>>(),
            }),
        },
        currency: CurrencyCode(*currency),
        fund: fund_ir(fund)?,
        scenes: NonEmpty::new(scenes)?,
        categories: scope(&sorted(categories))?,
        regions: scope(&sorted(regions))?,
        segments: scope(&sorted(segments))?,
        window: Window {
            start: Instant(*window_start),
            end: Instant(*window_end),
            zone: zone.clone(),
            start_local: LocalDateTime(*start_local),
            end_local: LocalDateTime(*end_local),
        },
        reward: Reward {
            form,
            min_spend: min_spend.map(money),
            effective_rate: Rate::from_fraction(campaign.effective_rate().fraction())?,
            max_spend: max_spend.map(money),
            credit: credit.as_ref().map(camp_ir::types::Credit::from_lang),
        },
        budget: money(*budget),
        limits,
        rollout,
        guards,
        stacking,
        expected_peak: expected_peak.map(throughput),
        max_exposure: MaxExposure {
            amount: money(*exposure_amount),
            bound,
            largest_single_reward: money(*largest_single_reward),
        },
        approvals_required: *approvals_required,
        merchants: scope(&sorted(merchants))?,
        instruments: scope(&sorted(instruments))?,
        schedule: schedule.as_deref().map(schedule_ir).transpose()?,
        pool,
        claim: claim.as_deref().map(claim_ir),
    })
}

/// (v2) The claim block: its window as the campaign's is written.
fn claim_ir(claim: &m::Claim) -> camp_ir::types::Claim {
    let m::Claim {
        window,
        inventory,
        per_user,
        valid_for_seconds,
        span: _,
    } = claim;
    camp_ir::types::Claim {
        window: window_ir(window),
        inventory: *inventory,
        per_user: *per_user,
        valid_for_seconds: *valid_for_seconds,
    }
}

fn window_ir(window: &m::Window) -> Window {
    let m::Window {
        start,
        end,
        zone,
        start_local,
        end_local,
        time_zone: _,
        span: _,
        end_span: _,
        end_has_seconds: _,
    } = window;
    Window {
        start: Instant(*start),
        end: Instant(*end),
        zone: zone.clone(),
        start_local: LocalDateTime(*start_local),
        end_local: LocalDateTime(*end_local),
    }
}

fn schedule_ir(schedule: &m::Schedule) -> Result<Schedule, IrError> {
    let m::Schedule {
        days,
        hours,
        span: _,
    } = schedule;
    Ok(Schedule {
        days: NonEmpty::new(days.clone())?,
        hours: NonEmpty::new(
            hours
                .iter()
                .map(|(start_minute, end_minute)| TimeRange {
                    start_minute: *start_minute,
                    end_minute: *end_minute,
                })
                .collect(),
        )?,
    })
}

/// (v2) A pool's manifest entry: its campaigns, its exposure per currency
/// (sorted by currency code) and its approvals.
fn pool_entry(pool: &m::PoolModel) -> Result<PoolEntry, IrError> {
    let m::PoolModel {
        id: pool_id,
        campaigns,
        exposures,
        approvals_required,
    } = pool;
    let mut max_exposure: Vec<PoolExposure> = exposures
        .iter()
        .map(
            |m::PoolExposure {
                 amount,
                 bound,
                 approvals_required,
             }| PoolExposure {
                amount: money(*amount),
                bound: match bound {
                    m::PoolBound::Budget => PoolBound::Budget,
                    m::PoolBound::Campaigns => PoolBound::Campaigns,
                },
                approvals_required: *approvals_required,
            },
        )
        .collect();
    max_exposure.sort_by(|a, b| a.amount.currency.code().cmp(b.amount.currency.code()));
    Ok(PoolEntry {
        id: id(pool_id)?,
        campaigns: ids(campaigns)?,
        max_exposure: NonEmpty::new(max_exposure)?,
        approvals_required: *approvals_required,
    })
}

fn pool_ir(pool: &m::PoolDef) -> Result<Pool, IrError> {
    let m::PoolDef {
        id: pool_id,
        doc,
        span: _,
        fund,
        fund_span: _,
        budget,
        budget_span: _,
    } = pool;
    let mut budget: Vec<Money> = budget.iter().copied().map(money).collect();
    budget.sort_by(|a, b| a.currency.code().cmp(b.currency.code()));
    Ok(Pool {
        id: id(pool_id)?,
        fund: id(fund)?,
        budget: NonEmpty::new(budget)?,
        doc: doc.clone(),
    })
}

fn throughput(value: m::Throughput) -> Throughput {
    let m::Throughput { count, per_seconds } = value;
    Throughput { count, per_seconds }
}

fn schema_ir(schema: &m::Schema) -> Result<PackageSchema, IrError> {
    let m::Schema {
        scenes,
        categories,
        regions,
        segments,
        funds,
        policy,
        merchant_groups,
        instruments,
        pools,
    } = schema;
    // A category or a segment: no code.
    let simple = |items: &BTreeMap<String, m::SimpleDef>| {
        items
            .values()
            .map(
                |m::SimpleDef {
                     id: item_id,
                     code: _,
                     doc,
                     span: _,
                 }| {
                    Ok(SchemaItem {
                        id: id(item_id)?,
                        doc: doc.clone(),
                    })
                },
            )
            .collect::<Result<Vec<_>, IrError>>()
    };
    let policy = match policy {
        None => None,
        Some(m::PolicyDef {
            span: _,
            currencies,
            max_rate,
            approvals,
            approvals_span: _,
            capacity,
        }) => Some(Policy {
            currencies: match currencies {
                None => None,
                Some((currencies, _)) => {
                    let mut codes: Vec<CurrencyCode> =
                        currencies.iter().copied().map(CurrencyCode).collect();
                    codes.sort_by(|a, b| a.0.code().cmp(b.0.code()));
                    Some(NonEmpty::new(codes)?)
                }
            },
            max_rate: max_rate.map(|(value, _)| rate(value)).transpose()?,
            approvals: approvals
                .iter()
                .map(
                    |m::ApprovalTier {
                         approvals,
                         up_to,
                         span: _,
                     }| ApprovalTier {
                        approvals: *approvals,
                        up_to: up_to.iter().copied().map(money).collect(),
                    },
                )
                .collect(),
            capacity: capacity.map(throughput),
        }),
    };
    Ok(PackageSchema {
        scenes: scenes
            .values()
            .map(
                |m::SceneDef {
                     id: scene_id,
                     money_movement,
                     doc,
                     span: _,
                 }| {
                    Ok(SceneItem {
                        id: id(scene_id)?,
                        money_movement: *money_movement,
                        doc: doc.clone(),
                    })
                },
            )
            .collect::<Result<Vec<_>, IrError>>()?,
        categories: simple(categories)?,
        regions: regions
            .values()
            .map(
                |m::SimpleDef {
                     id: region_id,
                     code,
                     doc,
                     span: _,
                 }| {
                    Ok(RegionItem {
                        id: id(region_id)?,
                        code: code.clone(),
                        doc: doc.clone(),
                    })
                },
            )
            .collect::<Result<Vec<_>, IrError>>()?,
        segments: simple(segments)?,
        funds: funds
            .values()
            .map(fund_ir)
            .collect::<Result<Vec<_>, IrError>>()?,
        policy,
        merchant_groups: merchant_groups
            .values()
            .map(
                |m::MerchantGroupDef {
                     id: group_id,
                     list,
                     doc,
                     span: _,
                 }| {
                    Ok(MerchantGroupItem {
                        id: id(group_id)?,
                        list: list.clone(),
                        doc: doc.clone(),
                    })
                },
            )
            .collect::<Result<Vec<_>, IrError>>()?,
        instruments: instruments
            .values()
            .map(
                |m::InstrumentDef {
                     id: instrument_id,
                     kind,
                     bins,
                     doc,
                     span: _,
                 }| {
                    let mut bins: Vec<String> = bins.iter().map(|(bin, _)| bin.clone()).collect();
                    bins.sort();
                    Ok(InstrumentItem {
                        id: id(instrument_id)?,
                        kind: *kind,
                        bins,
                        doc: doc.clone(),
                    })
                },
            )
            .collect::<Result<Vec<_>, IrError>>()?,
        pools: pools
            .values()
            .map(pool_ir)
            .collect::<Result<Vec<_>, IrError>>()?,
    })
}
