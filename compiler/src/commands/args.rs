//! The command line: `campc`'s arguments, as `clap` reads them (and as
//! the shell completions and man pages show them).

use std::path::PathBuf;

use camp_fs::{self as fs};
use campc::render::sarif;
use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "campc",
    version,
    about = "The Camp compiler: check campaigns and build their safe IR",
    after_long_help = "Exit status: 0 clean; 1 problems found (errors and `deny` findings, \
                       also warnings with `--fail-level warn`); 2 usage or IO failure."
)]
pub(crate) struct Cli {
    /// When to colour the report: `auto` colours it on a terminal, unless
    /// `NO_COLOR` is set; `CLICOLOR_FORCE` or `FORCE_COLOR` (not `0`)
    /// colour it anywhere, a CI log included.
    #[arg(long, value_enum, global = true, default_value_t = ColorChoice::Auto)]
    pub(crate) color: ColorChoice,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Check packages or files and report every problem.
    Check {
        /// Package folders, folders of packages, or `.camp` files (default: the current folder).
        paths: Vec<PathBuf>,
        #[command(flatten)]
        report: ReportArgs,
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        fix: FixArgs,
    },
    /// Check one package and, if nothing fails, write its IR.
    Build {
        /// The package folder (default: the current folder).
        path: Option<PathBuf>,
        /// The folder to write `manifest.json` and `campaigns/*.json` into: a new or
        /// empty folder, or an earlier build's IR (it is replaced as a whole).
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        report: ReportArgs,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Decide one payment with the reference evaluator and show, for every
    /// campaign, what it pays and why (the arithmetic, limits left, or the
    /// first reason it pays nothing).
    Explain {
        /// The package folder (default: the current folder).
        path: Option<PathBuf>,
        /// The payment, as a test's `pay` line writes it without `pay` and
        /// the outcome: "CNY 300.00 at online_purchase, user bob, time
        /// 2026-12-12 10:00". Without `time`, now; a time without a zone is
        /// in the zone of the package's campaigns in the payment's currency.
        #[arg(long, value_name = "PAYMENT")]
        pay: String,
        /// (v2) A claim made before the payment is decided, as a test's
        /// `claim` line writes it without `claim` and the outcome:
        /// "spring_coupon, user bob, time 2026-12-01 10:00". Without `user`,
        /// the payment's user claims; without `time`, at the payment's
        /// instant; a time without a zone is in the campaign's zone.
        /// Repeatable: the claims are made in order.
        #[arg(long, value_name = "CLAIM")]
        claim: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ExplainFormat::Human)]
        format: ExplainFormat,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Run the package's test blocks with the reference evaluator; exit 1 if a
    /// line fails.
    Test {
        /// The package folder (default: the current folder).
        path: Option<PathBuf>,
        /// Run only the tests of this name (a campaign's, or a package test's string).
        #[arg(long, value_name = "NAME")]
        filter: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TestFormat::Human)]
        format: TestFormat,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Format `.camp` files in place: one layout, comments kept.
    Fmt {
        /// Files or folders (default: the current folder); `-` formats standard
        /// input to standard output.
        paths: Vec<PathBuf>,
        /// Change nothing; show a diff and exit 1 if a file would change.
        #[arg(long)]
        check: bool,
        /// With `-`: the file standard input holds, for messages and to find its package.
        #[arg(long, value_name = "PATH")]
        stdin_filepath: Option<PathBuf>,
        #[command(flatten)]
        input: InputArgs,
    },
    /// List the lint rules with their default levels (or, with `--codes`,
    /// the error codes).
    Rules {
        /// List the error codes with their titles instead.
        #[arg(long)]
        codes: bool,
    },
    /// Print a lint rule's documentation, or explain an error code.
    Rule {
        /// A rule's name, e.g. `high-rate`, or an error code, e.g. `E0701`.
        name: String,
    },
    /// Print the JSON Schema of the IR (`campaign` or `manifest`).
    IrSchema {
        #[arg(value_enum, default_value_t = SchemaKind::Campaign)]
        document: SchemaKind,
    },
    /// Print the JSON Schema of `camp.toml`, for TOML editors.
    ConfigSchema,
    /// Print the shell completion script for SHELL.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Show what a change means, per campaign: `campc diff OLD NEW` compares
    /// two package folders, `campc diff REV [PATH]` the package at PATH as git
    /// revision REV holds it with the working tree. Exit 1 when a flag is
    /// raised at `deny` or a side does not check.
    Diff {
        /// The old package folder, or a git revision (`main`, `HEAD~1`, a commit).
        old: String,
        /// The new package folder (after a folder OLD); after a revision, the
        /// package in the working tree (default: the current folder).
        new: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
        format: DiffFormat,
        /// Where the flags' docs are, for SARIF help links.
        #[arg(long, default_value = sarif::DEFAULT_DOCS_URL)]
        docs_url: String,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Print the man page (roff), or write one page per command into DIR.
    Man {
        /// Write `campc.1`, `campc-check.1`, … into this folder instead.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

/// `campc test --format`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum TestFormat {
    /// Each failing line with its payment, what was expected, what was
    /// decided and why; then `N passed, M failed`.
    Human,
    /// Every line with its decision (see `campc::render::test_report`).
    Json,
    /// JUnit XML: one test suite per test block, one test case per line.
    Junit,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// For people: source snippets with labels and help.
    Human,
    /// One line per finding: `path:line:column: severity[code] message`.
    Concise,
    /// The documented JSON report (see the README).
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions annotations.
    Github,
    /// JUnit XML, one test case per finding.
    Junit,
}

impl Format {
    /// Formats for people, which end with a summary line, and beside which
    /// `build` says what it wrote.
    pub(crate) fn is_for_people(self) -> bool {
        match self {
            Format::Human | Format::Concise => true,
            Format::Json | Format::Sarif | Format::Github | Format::Junit => false,
        }
    }
}

/// `campc diff`'s output formats.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DiffFormat {
    /// A review summary: the most dangerous campaigns first.
    Human,
    /// The documented JSON report (`docs/diff.schema.json`).
    Json,
    /// Markdown, for a pull-request comment.
    Markdown,
    /// GitHub Actions annotations, one per flag.
    Github,
    /// SARIF 2.1.0, one result per flag.
    Sarif,
}

/// `campc explain`'s output formats.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExplainFormat {
    /// For people: each campaign's outcome and arithmetic.
    Human,
    /// The payment and the evaluator's decision as JSON.
    Json,
}

/// What makes `campc check` fail (exit 1).
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailLevel {
    /// Errors and `deny` lint findings.
    Deny,
    /// Also `warn` lint findings.
    Warn,
}

#[derive(clap::Args)]
pub(crate) struct ReportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub(crate) format: Format,
    /// Also print how many findings each rule or error code has.
    #[arg(long)]
    pub(crate) statistics: bool,
    /// What fails the check.
    #[arg(long, value_enum, default_value_t = FailLevel::Deny)]
    pub(crate) fail_level: FailLevel,
    /// Where the rule and error docs are, for SARIF help links.
    #[arg(long, default_value = sarif::DEFAULT_DOCS_URL)]
    pub(crate) docs_url: String,
    /// Report only the lint findings beyond the counts recorded in FILE.
    #[arg(long, value_name = "FILE")]
    pub(crate) baseline: Option<PathBuf>,
    /// Record the lint findings' counts per package, file and rule in FILE, and exit.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub(crate) write_baseline: Option<PathBuf>,
    /// Whether the report is coloured: `--color`, decided once in `main`.
    #[arg(skip)]
    pub(crate) colour: bool,
}

/// `campc check --fix` and `--diff`.
#[derive(clap::Args)]
pub(crate) struct FixArgs {
    /// Apply the fixes the diagnostics carry (an editor's quick fixes), then
    /// report what remains.
    #[arg(long)]
    pub(crate) fix: bool,
    /// Print the fixes `--fix` would apply as a diff, and write nothing; exit 1
    /// if a fix would apply or problems would remain.
    #[arg(long, conflicts_with_all = ["format", "write_baseline", "statistics"])]
    pub(crate) diff: bool,
}

/// Which files a command reads.
#[derive(clap::Args)]
pub(crate) struct InputArgs {
    /// Also read `.camp` files that `.gitignore`, `.ignore` or
    /// `.git/info/exclude` hide (hidden files are still skipped).
    #[arg(long)]
    pub(crate) no_ignore: bool,
}

impl InputArgs {
    pub(crate) fn ignore_files(&self) -> fs::IgnoreFiles {
        if self.no_ignore {
            fs::IgnoreFiles::Off
        } else {
            fs::IgnoreFiles::Apply
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum SchemaKind {
    Campaign,
    Manifest,
}
