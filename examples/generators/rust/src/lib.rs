//! An example generator on the Camp IR alone: it reads the folder that
//! `campc build PACKAGE --out DIR` writes and turns it into the counter
//! configuration a rate-limiting and budget service loads (see
//! [`limits`]).
//!
//! It trusts nothing it reads. [`load`] deserializes every document through
//! `camp-ir`'s types, which validate them (money at its currency's scale,
//! one currency per campaign, the reward's effective rate, the window…) and
//! check each document's `sha256` against its canonical bytes; then it ties
//! the campaigns to the manifest: each entry's file is the campaign's, its
//! `sha256` is the document's, and no campaign file is left unlisted. Any
//! failure is a [`Refusal`] that names the file.

pub mod limits;

use std::fmt;
use std::path::{Path, PathBuf};

use camp_ir::types::{CampaignDocument, Manifest};
use serde::de::DeserializeOwned;

/// A built package, every document loaded and verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IrPackage {
    pub manifest: Manifest,
    /// In the manifest's order (sorted by id).
    pub campaigns: Vec<CampaignDocument>,
}

/// Why a file of the IR folder was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub path: PathBuf,
    pub reason: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "refused `{}`: {}", self.path.display(), self.reason)
    }
}

impl std::error::Error for Refusal {}

fn refuse(path: &Path, reason: impl Into<String>) -> Refusal {
    Refusal {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// Reads and deserializes one document; `camp-ir`'s types validate it,
/// its `sha256` included.
fn read_document<T: DeserializeOwned>(path: &Path) -> Result<T, Refusal> {
    let bytes =
        std::fs::read(path).map_err(|error| refuse(path, format!("cannot read: {error}")))?;
    serde_json::from_slice(&bytes).map_err(|error| {
        use serde_json::error::Category;
        let reason = match error.classify() {
            Category::Io | Category::Syntax | Category::Eof => format!("not valid JSON: {error}"),
            Category::Data if error.to_string().starts_with("invalid Camp IR") => error.to_string(),
            Category::Data => format!("invalid Camp IR: {error}"),
        };
        refuse(path, reason)
    })
}

/// Loads `dir/manifest.json` and every campaign it lists, and refuses the
/// folder at the first file that is not valid, does not match its
/// `sha256`, or does not match the manifest's entry for it.
pub fn load(dir: &Path) -> Result<IrPackage, Refusal> {
    let manifest_path = dir.join("manifest.json");
    let manifest: Manifest = read_document(&manifest_path)?;
    let mut campaigns = Vec::with_capacity(manifest.package.campaigns.len());
    let mut listed = std::collections::BTreeSet::new();
    for entry in &manifest.package.campaigns {
        // `campc build` writes `campaigns/<id>.json`; anything else (another
        // folder, `..`) is not a file this package may name.
        let expected = format!("campaigns/{}.json", entry.id.as_str());
        if entry.file != expected {
            return Err(refuse(
                &manifest_path,
                format!(
                    "campaign `{}` is listed with file `{}`, expected `{expected}`",
                    entry.id.as_str(),
                    entry.file
                ),
            ));
        }
        let path = dir.join(&entry.file);
        let document: CampaignDocument = read_document(&path)?;
        let campaign = &document.campaign;
        if document.sha256 != entry.sha256 {
            return Err(refuse(
                &path,
                format!(
                    "its sha256 `{}` is not the one `manifest.json` lists (`{}`): the file was replaced after the build",
                    document.sha256, entry.sha256
                ),
            ));
        }
        // Equal hashes make these equal unless the manifest was re-hashed
        // by hand; a runtime acts on both, so it checks them.
        let mismatch = if campaign.id != entry.id {
            Some(format!(
                "its campaign is `{}`, but `manifest.json` lists it for `{}`",
                campaign.id.as_str(),
                entry.id.as_str()
            ))
        } else if campaign.max_exposure.amount != entry.max_exposure {
            Some(format!(
                "its max_exposure `{}` is not the one `manifest.json` lists (`{}`)",
                campaign.max_exposure.amount, entry.max_exposure
            ))
        } else if campaign.approvals_required != entry.approvals_required {
            Some(format!(
                "it requires {} approvals, `manifest.json` lists {}",
                campaign.approvals_required, entry.approvals_required
            ))
        } else {
            None
        };
        if let Some(reason) = mismatch {
            return Err(refuse(&path, reason));
        }
        listed.insert(entry.file.clone());
        campaigns.push(document);
    }
    let campaigns_dir = dir.join("campaigns");
    if campaigns_dir.exists() {
        let entries = std::fs::read_dir(&campaigns_dir)
            .map_err(|error| refuse(&campaigns_dir, format!("cannot read: {error}")))?;
        let mut names = Vec::new();
        for entry in entries {
            let entry =
                entry.map_err(|error| refuse(&campaigns_dir, format!("cannot read: {error}")))?;
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
        names.sort();
        if let Some(unlisted) = names
            .iter()
            .find(|name| name.ends_with(".json") && !listed.contains(&format!("campaigns/{name}")))
        {
            return Err(refuse(
                &campaigns_dir.join(unlisted),
                "this campaign is not listed in `manifest.json`: the folder mixes builds",
            ));
        }
    }
    Ok(IrPackage {
        manifest,
        campaigns,
    })
}
