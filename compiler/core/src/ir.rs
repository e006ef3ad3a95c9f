//! Building the IR (the `camp-ir` crate) from the checked model: only for a
//! package with no errors, normalized, deterministic (same input, same
//! bytes). The IR's types, canonical JSON and schemas are `camp-ir`'s; they
//! are re-exported here so the compiler's callers need one path.

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
    let model = &analysis.model;
    let mut files = Vec::with_capacity(model.campaigns.len() + 1);
    let mut entries = Vec::with_capacity(model.campaigns.len());
    for campaign in &model.campaigns {
        let ir = campaign_ir(campaign, model, &analysis.sources)?;
        validate_campaign(&ir)?;
        let sha256 = canonical::sha256_of(&ir)?;
        let document = CampaignDocument {
            ir_version: IR_VERSION.to_string(),
            sha256: sha256.clone(),
            campaign: ir,
        };
        let file = format!("campaigns/{}.json", campaign.id);
        entries.push(CampaignEntry {
            id: id(&campaign.id)?,
            file: file.clone(),
            sha256,
            max_exposure: money(campaign.exposure.amount),
            approvals_required: campaign.approvals_required,
        });
        files.push((file, canonical::pretty(&document)?.into_bytes()));
    }
    let package = Package {
        name: analysis.name.clone(),
        schema: schema_ir(&model.schema)?,
        campaigns: entries,
    };
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
    Ok(Some(IrFiles { files, manifest }))
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
    let mut requires: Vec<Requirement> = fund.requires.iter().map(|(value, _)| *value).collect();
    requires.sort();
    requires.dedup();
    let mut max_per_use: Vec<Money> = fund.max_per_use.iter().copied().map(money).collect();
    max_per_use.sort_by(|a, b| a.currency.code().cmp(b.currency.code()));
    let mut scenes = fund.scenes.clone();
    scenes.sort();
    let categories = fund.categories.clone().map(|mut names| {
        names.sort();
        names
    });
    Ok(Fund {
        id: id(&fund.id)?,
        payer: fund.payer,
        scenes: NonEmpty::new(ids(&scenes)?)?,
        categories: scope(&categories)?,
        requires,
        max_rate: fund.max_rate.map(|(value, _)| rate(value)).transpose()?,
        max_per_use,
    })
}

fn campaign_ir(
    campaign: &CampaignModel,
    model: &Model,
    sources: &SourceMap,
) -> Result<Campaign, IrError> {
    let schema = &model.schema;
    let fund = schema
        .funds
        .get(&campaign.fund)
        .ok_or_else(|| IrError(format!("fund `{}` is not in the schema", campaign.fund)))?;
    let file = sources
        .get(campaign.file)
        .ok_or_else(|| IrError(String::from("campaign file is not in the package")))?;
    let start = file.line_column(campaign.span.start);
    let end = file.line_column(campaign.span.end);

    let mut scene_ids = campaign.scenes.clone();
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

    let form = match &campaign.reward.form {
        m::RewardForm::Fixed(amount) => RewardForm::Fixed {
            amount: money(*amount),
        },
        m::RewardForm::Percent { rate: value, cap } => RewardForm::Percent {
            rate: rate(*value)?,
            cap: money(*cap),
        },
        m::RewardForm::Tiers(tiers) => RewardForm::Tiers {
            tiers: NonEmpty::new(
                tiers
                    .iter()
                    .map(|(spend, reward)| Tier {
                        spend: money(*spend),
                        reward: money(*reward),
                    })
                    .collect(),
            )?,
        },
        m::RewardForm::Random { low, high } => RewardForm::Random {
            low: money(*low),
            high: money(*high),
        },
    };

    let limits = campaign
        .limits
        .iter()
        .map(|limit| Limit {
            amount: match limit.amount {
                m::LimitAmount::Count(count) => LimitAmount::Count { count },
                m::LimitAmount::Money(value) => LimitAmount::Money {
                    money: money(value),
                },
            },
            dimension: limit.dimension,
            period: limit.period,
        })
        .collect();

    let rollout = match &campaign.rollout {
        None => None,
        Some(stages) => Some(NonEmpty::new(
            stages
                .iter()
                .map(|stage| {
                    Ok(Stage {
                        target: match &stage.target {
                            m::StageTarget::Segment(segment) => StageTarget::Segment {
                                segment: id(segment)?,
                            },
                            m::StageTarget::Percent(share) => StageTarget::Percent {
                                share: rate(*share)?,
                            },
                        },
                        duration_seconds: stage.duration_seconds,
                    })
                })
                .collect::<Result<Vec<_>, IrError>>()?,
        )?),
    };

    let guards = campaign
        .guards
        .iter()
        .map(|guard| Guard {
            metric: match guard.metric {
                m::GuardMetric::Spend(above) => GuardMetric::Spend {
                    above: money(above),
                },
                m::GuardMetric::Redemptions(above) => GuardMetric::Redemptions { above },
            },
            per_seconds: guard.per_seconds,
        })
        .collect();

    let stacking = match &campaign.stacking {
        m::Stacking::Exclusive => Stacking::Exclusive,
        m::Stacking::StacksWith(partners) => Stacking::StacksWith {
            campaigns: NonEmpty::new(
                partners
                    .iter()
                    .map(|partner| id(&partner.id))
                    .collect::<Result<Vec<_>, _>>()?,
            )?,
        },
    };

    let bound = match campaign.exposure.bound {
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
    };

    Ok(Campaign {
        id: id(&campaign.id)?,
        title: campaign.title.clone(),
        owner: campaign.owner.clone(),
        doc: campaign.doc.clone(),
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
        template: match &campaign.template {
            None => None,
            Some(used) => Some(TemplateRef {
                id: id(&used.id)?,
                arguments: used
                    .arguments
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect::<BTreeMap<_, _>>(),
            }),
        },
        currency: CurrencyCode(campaign.currency),
        fund: fund_ir(fund)?,
        scenes: NonEmpty::new(scenes)?,
        categories: scope(&sorted(&campaign.categories))?,
        regions: scope(&sorted(&campaign.regions))?,
        segments: scope(&sorted(&campaign.segments))?,
        window: Window {
            start: Instant(campaign.window.start),
            end: Instant(campaign.window.end),
            zone: campaign.window.zone.clone(),
            start_local: LocalDateTime(campaign.window.start_local),
            end_local: LocalDateTime(campaign.window.end_local),
        },
        reward: Reward {
            form,
            min_spend: campaign.reward.min_spend.map(money),
            effective_rate: Rate::from_fraction(campaign.effective_rate().fraction())?,
        },
        budget: money(campaign.budget),
        limits,
        rollout,
        guards,
        stacking,
        expected_peak: campaign.expected_peak.map(|peak| Throughput {
            count: peak.count,
            per_seconds: peak.per_seconds,
        }),
        max_exposure: MaxExposure {
            amount: money(campaign.exposure.amount),
            bound,
            largest_single_reward: money(campaign.exposure.largest_single_reward),
        },
        approvals_required: campaign.approvals_required,
    })
}

fn schema_ir(schema: &m::Schema) -> Result<PackageSchema, IrError> {
    let simple = |items: &BTreeMap<String, m::SimpleDef>| {
        items
            .values()
            .map(|item| {
                Ok(SchemaItem {
                    id: id(&item.id)?,
                    doc: item.doc.clone(),
                })
            })
            .collect::<Result<Vec<_>, IrError>>()
    };
    let policy = match &schema.policy {
        None => None,
        Some(policy) => Some(Policy {
            currencies: match &policy.currencies {
                None => None,
                Some((currencies, _)) => {
                    let mut codes: Vec<CurrencyCode> =
                        currencies.iter().copied().map(CurrencyCode).collect();
                    codes.sort_by(|a, b| a.0.code().cmp(b.0.code()));
                    Some(NonEmpty::new(codes)?)
                }
            },
            max_rate: policy.max_rate.map(|(value, _)| rate(value)).transpose()?,
            approvals: policy
                .approvals
                .iter()
                .map(|tier| ApprovalTier {
                    approvals: tier.approvals,
                    up_to: tier.up_to.iter().copied().map(money).collect(),
                })
                .collect(),
            capacity: policy.capacity.map(|capacity| Throughput {
                count: capacity.count,
                per_seconds: capacity.per_seconds,
            }),
        }),
    };
    Ok(PackageSchema {
        scenes: schema
            .scenes
            .values()
            .map(|scene| {
                Ok(SceneItem {
                    id: id(&scene.id)?,
                    money_movement: scene.money_movement,
                    doc: scene.doc.clone(),
                })
            })
            .collect::<Result<Vec<_>, IrError>>()?,
        categories: simple(&schema.categories)?,
        regions: schema
            .regions
            .values()
            .map(|region| {
                Ok(RegionItem {
                    id: id(&region.id)?,
                    code: region.code.clone(),
                    doc: region.doc.clone(),
                })
            })
            .collect::<Result<Vec<_>, IrError>>()?,
        segments: simple(&schema.segments)?,
        funds: schema
            .funds
            .values()
            .map(fund_ir)
            .collect::<Result<Vec<_>, IrError>>()?,
        policy,
    })
}
