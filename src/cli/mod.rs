//! The command line: argument definitions and one thin function per command.

mod apply;
mod build;
mod check;
mod doctor;
mod drift;
mod init;
mod release;
mod schema;
mod serve;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::diag::Format;
use crate::failure::{Failure, failed, usage};
use crate::values::Date;

/// Compile Codex rollout governance into a checked handbook and stamped templates.
#[derive(Debug, Parser)]
#[command(name = "govbook", version, about, propagate_version = true)]
pub struct Cli {
    /// Print only errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more about what is done.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    /// When to colour output (NO_COLOR is honoured under `auto`).
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    /// The date to judge review deadlines against (YYYY-MM-DD); defaults to
    /// SOURCE_DATE_EPOCH, else today (UTC). Also taken after the commands
    /// that judge dates (not global: `init`, `drift`, `schema` and
    /// `completions` have no date to judge, so they do not offer it).
    #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
    pub today: Option<Date>,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Colour choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    // `concat!` keeps these docs out of `--help`: clap turns only literal
    // doc comments into help text for each value.
    #[doc = concat!("Colour when writing to a terminal, unless `NO_COLOR` is set.")]
    Auto,
    #[doc = concat!("Always colour.")]
    Always,
    #[doc = concat!("Never colour.")]
    Never,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the bundled Codex rollout handbook into DIR (refuses a non-empty DIR).
    Init {
        /// Where to create the handbook.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Write into a non-empty directory, replacing files of the same name.
        #[arg(long)]
        force: bool,
    },
    /// Validate the handbook's sources; writes nothing. Exit 1 on errors.
    Check {
        /// The book directory (holding book.toml).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Treat warnings (such as overdue reviews) as errors.
        #[arg(long)]
        strict: bool,
        /// The date to judge review deadlines against (YYYY-MM-DD); defaults to
        /// SOURCE_DATE_EPOCH, else today (UTC).
        #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
        today: Option<Date>,
    },
    /// Check, then write the site and templates (atomically) into the build directory.
    Build {
        /// The book directory (holding book.toml).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Where to write the site (default: `[build] build-dir`, else `book/` in DIR).
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// The date to judge review deadlines against (YYYY-MM-DD); defaults to
        /// SOURCE_DATE_EPOCH, else today (UTC).
        #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
        today: Option<Date>,
    },
    /// Build into memory and serve on loopback; rebuild and reload on change.
    Serve {
        /// The book directory (holding book.toml).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Port to listen on (0 picks a free port).
        #[arg(long, short, default_value_t = 3000)]
        port: u16,
        /// Address to bind. Anything but loopback exposes the site to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// A host name the site may be requested by, besides localhost (and IP
        /// addresses when --bind is not loopback); repeatable. Other names get
        /// 403, against DNS rebinding.
        #[arg(long = "allow-host", value_name = "NAME", value_parser = parse_host_name)]
        allow_host: Vec<String>,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// The date to judge review deadlines against (YYYY-MM-DD); defaults to
        /// SOURCE_DATE_EPOCH, else today (UTC).
        #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
        today: Option<Date>,
    },
    /// Record the current artifact hashes under [book] version in the release ledger.
    Release {
        /// The book directory (holding book.toml).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// What changed in this release (shown on the Templates page and by drift).
        #[arg(long)]
        notes: Option<String>,
        /// The date to judge review deadlines against (YYYY-MM-DD); defaults to
        /// SOURCE_DATE_EPOCH, else today (UTC).
        #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
        today: Option<Date>,
    },
    /// Install or update the managed templates in a repository.
    Apply {
        /// The repository to write into.
        #[arg(long)]
        repo: PathBuf,
        /// The handbook (holding book.toml). Default: the current directory, else
        /// the book the repository's lock file (.govbook.toml) names.
        #[arg(long)]
        book: Option<PathBuf>,
        /// Apply this team's variant set (default: the lock file's team).
        #[arg(long)]
        team: Option<String>,
        /// Only these artifact ids (repeatable; default: the lock file's).
        #[arg(long, value_name = "ID")]
        only: Vec<String>,
        /// Print the diff of every change and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Replace managed regions that were edited locally, and unstamped files.
        #[arg(long)]
        force: bool,
        /// The date to judge review deadlines against (YYYY-MM-DD); defaults to
        /// SOURCE_DATE_EPOCH, else today (UTC).
        #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
        today: Option<Date>,
    },
    /// Report each stamped file under PATH...: current, outdated, modified, unknown or
    /// invalid, and each artifact missing or unreadable. Exit 1 unless all are current.
    Drift {
        /// Repositories, or directories holding many.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The manifest: the published templates/manifest.json URL (http or https),
        /// a file, or a built site directory (default: book/, else the URL or path
        /// the repository's lock file names).
        #[arg(long, env = "GOVBOOK_MANIFEST")]
        manifest: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = drift::DriftFormat::Table)]
        format: drift::DriftFormat,
        /// Seconds a manifest URL may take to answer in full.
        #[arg(long, value_name = "SECS", default_value_t = 30)]
        timeout: u64,
        /// The date the report carries, for its age on the Fleet page
        /// (YYYY-MM-DD); defaults to SOURCE_DATE_EPOCH, else today (UTC).
        #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
        today: Option<Date>,
    },
    /// Check a Codex binary against the pinned baseline and the generated config files (offline).
    Doctor {
        /// The book directory (holding book.toml).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The Codex binary to check.
        #[arg(long, default_value = "codex")]
        codex: PathBuf,
        /// The date to judge review deadlines against (YYYY-MM-DD); defaults to
        /// SOURCE_DATE_EPOCH, else today (UTC).
        #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
        today: Option<Date>,
    },
    /// Print the JSON Schema of a file govbook reads or writes; without NAME, list them.
    Schema {
        /// The schema's name (`book`, `policy`, `front-matter`, `manifest`, ...).
        name: Option<String>,
    },
    /// Print shell completions.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// A DNS name as a `Host` header carries it, without port: lowercase
/// letters, digits, `-` and `.`.
fn parse_host_name(s: &str) -> Result<String, String> {
    let name = s.strip_suffix('.').unwrap_or(s).to_ascii_lowercase();
    let ok = !name.is_empty()
        && name
            .split('.')
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    if ok {
        Ok(name)
    } else {
        Err(format!(
            "{s:?} is not a host name (letters, digits, `-` and `.`, no port or scheme)"
        ))
    }
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| format!("`{s}` is not a date of the form YYYY-MM-DD"))
}

/// The date checks judge against: `--today`, else `SOURCE_DATE_EPOCH`, else
/// the clock, in UTC.
pub fn today(flag: Option<Date>) -> Result<Date, Failure> {
    if let Some(d) = flag {
        return Ok(d);
    }
    let ts = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(s) if !s.trim().is_empty() => {
            let secs: i64 = s.trim().parse().map_err(|_| {
                usage(format!(
                    "SOURCE_DATE_EPOCH=`{s}` is not a number of seconds"
                ))
            })?;
            jiff::Timestamp::from_second(secs)
                .map_err(|e| usage(format!("SOURCE_DATE_EPOCH: {e}")))?
        }
        _ => jiff::Timestamp::now(),
    };
    Ok(Date(ts.to_zoned_datetime(jiff::tz::TimeZone::UTC).date()))
}

/// Prints the errors of a check run (warnings are `check`'s business) and
/// returns the codes found, so a command can stop before it acts.
fn print_errors(checked: &crate::pipeline::Checked) -> Result<Vec<crate::diag::Code>, Failure> {
    let errors: Vec<_> = checked
        .diags
        .items()
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .cloned()
        .collect();
    if !errors.is_empty() {
        let mut err = anstream::stderr().lock();
        crate::diag::render(
            &mut err,
            crate::diag::Format::Human,
            &errors,
            &checked.sources,
        )
        .map_err(output_failed)?;
    }
    Ok(errors.iter().map(|d| d.code).collect())
}

/// Warns when `[book] version` is past the release ledger's newest entry:
/// the artifacts will be stamped with a version the ledger does not
/// (yet) fix to one text, so `release` should come before publishing.
fn warn_unreleased(cli: &Cli, checked: &crate::pipeline::Checked) {
    let version = checked.model.config.version();
    let released: Vec<String> = checked
        .model
        .governance
        .as_ref()
        .and_then(|g| g.releases.as_ref())
        .map(|r| {
            r.value
                .release
                .iter()
                .map(|r| r.get_ref().version.get_ref().to_string())
                .collect()
        })
        .unwrap_or_default();
    if cli.quiet || version.is_empty() || released.is_empty() || released.contains(&version) {
        return;
    }
    eprintln!(
        "warning: [book] version {version} is not released yet (the ledger ends at {}): \
         run `govbook release` before publishing, so every copy stamped {version} means one text",
        released.last().map_or("", String::as_str)
    );
}

/// `dir` relative to the root of the git repository holding it (the
/// nearest directory above with `.git`), as GitHub annotations name files;
/// `dir` as given when it is in no repository.
pub(crate) fn from_git_root(dir: &std::path::Path) -> PathBuf {
    let as_given = || {
        dir.components()
            .filter(|c| *c != std::path::Component::CurDir)
            .collect()
    };
    let Ok(abs) = std::fs::canonicalize(dir) else {
        return as_given();
    };
    let root = abs.ancestors().find(|a| a.join(".git").exists());
    match root.and_then(|r| abs.strip_prefix(r).ok()) {
        Some(rel) => rel.to_path_buf(),
        None => as_given(),
    }
}

/// Writes `text` to stdout. A reader that went away (`govbook … | head`)
/// ends the process quietly with 141, as SIGPIPE ends a Unix filter, rather
/// than a panic in `print!`. (SIGPIPE itself stays ignored: `doctor` writes
/// to programs that may exit without reading.)
pub(crate) fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(141);
        }
        let _ = writeln!(std::io::stderr(), "error: cannot write output: {e}");
    }
}

/// Writing a report to stdout or stderr failed.
fn output_failed(e: std::io::Error) -> Failure {
    failed(format!("cannot write output: {e}"))
}

/// Runs the command line; the process exit code is returned.
pub fn main() -> ExitCode {
    run(Cli::parse())
}

/// Runs a command line given as arguments (the first is the program name),
/// in this process: what tests use to run a command without spawning the
/// binary. A usage error is printed and gives exit code 2, as in [`main`].
pub fn run_args<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    match Cli::try_parse_from(args) {
        Ok(cli) => run(cli),
        Err(e) => {
            let _ = e.print();
            ExitCode::from(if e.use_stderr() { 2 } else { 0 })
        }
    }
}

impl Command {
    /// `--today` given after the command, for the commands that judge dates.
    fn today(&self) -> Option<Date> {
        match self {
            Command::Check { today, .. }
            | Command::Build { today, .. }
            | Command::Serve { today, .. }
            | Command::Release { today, .. }
            | Command::Apply { today, .. }
            | Command::Drift { today, .. }
            | Command::Doctor { today, .. } => *today,
            Command::Init { .. } | Command::Schema { .. } | Command::Completions { .. } => None,
        }
    }
}

fn run(mut cli: Cli) -> ExitCode {
    if let Some(today) = cli.command.today() {
        cli.today = Some(today);
    }
    match cli.color {
        ColorWhen::Always => anstream::ColorChoice::Always.write_global(),
        ColorWhen::Never => anstream::ColorChoice::Never.write_global(),
        ColorWhen::Auto => {}
    }
    let result = match cli.command {
        Command::Init { ref dir, force } => init::run(&cli, dir, force),
        Command::Check {
            ref dir,
            format,
            strict,
            ..
        } => check::run(&cli, dir, format, strict),
        Command::Build {
            ref dir,
            ref out,
            strict,
            ..
        } => build::run(&cli, dir, out.as_deref(), strict),
        Command::Serve {
            ref dir,
            port,
            bind,
            ref allow_host,
            open,
            ..
        } => serve::run(
            &cli,
            dir,
            serve::Listen {
                bind,
                port,
                allow_host: allow_host.clone(),
            },
            open,
        ),
        Command::Release {
            ref dir, ref notes, ..
        } => release::run(&cli, dir, notes.as_deref()),
        Command::Apply {
            ref repo,
            ref book,
            ref team,
            ref only,
            dry_run,
            force,
            ..
        } => apply::run(
            &cli,
            &apply::ApplyArgs {
                dir: book.as_deref(),
                repo,
                team: team.as_deref(),
                only,
                dry_run,
                force,
            },
        ),
        Command::Drift {
            ref paths,
            ref manifest,
            format,
            timeout,
            ..
        } => drift::run(&cli, paths, manifest.as_deref(), format, timeout),
        Command::Doctor {
            ref dir, ref codex, ..
        } => doctor::run_doctor(&cli, dir, codex),
        Command::Schema { ref name } => schema::run(name.as_deref()),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut cmd, "govbook", &mut script);
            out(&String::from_utf8_lossy(&script));
            Ok(ExitCode::SUCCESS)
        }
    };
    match result {
        Ok(code) => code,
        Err(failure) => {
            let mut err = anstream::stderr();
            let red = anstyle::Style::new()
                .bold()
                .fg_color(Some(anstyle::AnsiColor::Red.into()));
            let _ = writeln!(err, "{red}error{red:#}: {failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}
