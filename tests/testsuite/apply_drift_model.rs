//! A property test of the templates workflow: random sequences of local
//! edits (outside and inside managed regions, line-ending changes,
//! deletions), handbook releases, `apply` (plain, `--force`, `--dry-run`)
//! and `drift` on a scratch repository, checked against an oracle model
//! that knows every byte outside the managed regions and what each report
//! must say. No local edit outside a region may ever be lost.
//!
//! The handbook versions are made once, by real edits, version bumps and
//! `govbook release` runs on a copy of the minimal fixture. Cases:
//! `GOVBOOK_PROPTEST_CASES` (default 48).

use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::OnceLock;

use govbook::apply::{Action, Options};
use govbook::drift::Status;
use govbook::stamp::{self, Syntax};
use govbook::templates::ArtifactSet;
use govbook::templates::manifest::Manifest;
use proptest::prelude::*;

use crate::book_test::{BookTest, TODAY};
use crate::fs::edit_file as edit;

/// The artifacts the repository tracks: two Markdown, one TOML, one JSON.
const TRACKED: [&str; 4] = [
    "agents-md",
    "usage-policy",
    "codex-config",
    "verification-commands-json",
];

struct Version {
    version: String,
    baseline: String,
    set: ArtifactSet,
    manifest: Manifest,
}

struct Handbook {
    _book: BookTest,
    versions: Vec<Version>,
}

/// Three released handbook versions: 1.0.0; 1.1.0 changes a policy rule;
/// 1.2.0 changes a verification command.
fn handbook() -> &'static Handbook {
    static BOOK: OnceLock<Handbook> = OnceLock::new();
    BOOK.get_or_init(|| {
        let test = BookTest::from_fixture("minimal");
        let book = test.dir.clone();
        let gov = book.join("content/governance");
        let changes: [(&str, &dyn Fn()); 3] = [
            ("1.0.0", &|| {}),
            ("1.1.0", &|| {
                edit(
                    &gov.join("policy.toml"),
                    "title = \"Approved local models\"",
                    "title = \"Approved local models only\"",
                )
            }),
            ("1.2.0", &|| {
                edit(
                    &gov.join("commands.toml"),
                    "purpose = \"Catch regressions.\"",
                    "purpose = \"Catch regressions early.\"",
                )
            }),
        ];
        let mut versions = Vec::new();
        let mut previous = "1.0.0";
        for (v, change) in changes {
            change();
            edit(
                &book.join("book.toml"),
                &format!("version = \"{previous}\""),
                &format!("version = \"{v}\""),
            );
            previous = v;
            let args: Vec<OsString> = ["govbook", "--quiet", "--today", TODAY, "release"]
                .map(OsString::from)
                .into_iter()
                .chain([book.clone().into_os_string()])
                .collect();
            assert_eq!(
                govbook::cli::run_args(args),
                std::process::ExitCode::SUCCESS
            );
            let opts = govbook::check::CheckOptions {
                today: govbook::values::Date::parse(TODAY).unwrap(),
                strict: false,
            };
            let checked = govbook::pipeline::check(&book, &opts);
            assert!(!checked.diags.has_errors());
            let manifest = govbook::templates::manifest::build(&checked.model, &checked.artifacts);
            versions.push(Version {
                version: checked.model.config.version(),
                baseline: checked.model.config.baseline(),
                set: checked.artifacts[0].clone(),
                manifest,
            });
        }
        Handbook {
            _book: test,
            versions,
        }
    })
}

#[derive(Debug, Clone)]
enum Op {
    /// A line of the repository's own, before or after the region.
    EditOutside {
        file: usize,
        before: bool,
        text: String,
    },
    /// A line inside the managed region (for JSON: a new key).
    EditInside {
        file: usize,
        text: String,
    },
    /// Converts the file to CRLF line endings.
    Crlf {
        file: usize,
    },
    Delete {
        file: usize,
    },
    /// The handbook moves to its next released version (if any).
    Release,
    Apply {
        force: bool,
        dry_run: bool,
    },
    Drift,
}

fn op() -> impl Strategy<Value = Op> {
    let file = 0..TRACKED.len();
    let text = "[a-zA-Z0-9 éü\u{00a0}*#-]{0,24}";
    prop_oneof![
        4 => (file.clone(), any::<bool>(), text).prop_map(|(file, before, text)| Op::EditOutside {
            file,
            before,
            text
        }),
        2 => (file.clone(), text).prop_map(|(file, text)| Op::EditInside { file, text }),
        1 => file.clone().prop_map(|file| Op::Crlf { file }),
        1 => file.prop_map(|file| Op::Delete { file }),
        2 => Just(Op::Release),
        4 => (any::<bool>(), prop::bool::weighted(0.2))
            .prop_map(|(force, dry_run)| Op::Apply { force, dry_run }),
        3 => Just(Op::Drift),
    ]
}

/// What the oracle knows of one file: it is exactly
/// `prefix + region + suffix`; `prefix` and `suffix` are the repository's.
#[derive(Debug, Clone)]
struct FileModel {
    prefix: String,
    region: String,
    suffix: String,
    /// The hash of the managed text as last written by apply; `None` once
    /// it was edited locally.
    clean: Option<String>,
    /// The version in the stamp.
    stamped: String,
}

impl FileModel {
    fn text(&self) -> String {
        format!("{}{}{}", self.prefix, self.region, self.suffix)
    }
}

struct World {
    repo: PathBuf,
    current: usize,
    files: [Option<FileModel>; 4],
    edits: usize,
}

fn format_of(i: usize) -> Syntax {
    match i {
        2 => Syntax::Toml,
        3 => Syntax::Json,
        _ => Syntax::Markdown,
    }
}

fn path_of(v: &Version, i: usize) -> String {
    v.set
        .artifacts
        .iter()
        .find(|a| a.id == TRACKED[i])
        .unwrap()
        .path
        .clone()
}

/// Splits a text written by apply into prefix, region and suffix, with the
/// managed text's hash.
fn split(text: &str, format: Syntax) -> (String, String, String, String) {
    if format == Syntax::Json {
        let (_, actual) = stamp::json::read(text).unwrap().unwrap();
        return (String::new(), text.to_owned(), String::new(), actual);
    }
    let (regions, damage) = stamp::regions(text, format);
    assert!(damage.is_empty(), "{damage:?}");
    assert_eq!(regions.len(), 1);
    let r = &regions[0];
    (
        text[..r.span.start].to_owned(),
        text[r.span.clone()].to_owned(),
        text[r.span.end..].to_owned(),
        stamp::hash(&text[r.managed.clone()]),
    )
}

impl World {
    fn version(&self) -> &'static Version {
        &handbook().versions[self.current]
    }

    fn path(&self, i: usize) -> PathBuf {
        self.repo.join(path_of(self.version(), i))
    }

    fn write(&self, i: usize) {
        let m = self.files[i].as_ref().unwrap();
        std::fs::write(self.path(i), m.text()).unwrap();
    }

    /// Every tracked file is exactly what the model says.
    fn check_files(&self, when: &str) {
        for (i, id) in TRACKED.iter().enumerate() {
            let on_disk = std::fs::read_to_string(self.path(i)).ok();
            let model = self.files[i].as_ref().map(FileModel::text);
            assert_eq!(on_disk, model, "{id}: {when}");
        }
        let leftovers: Vec<_> = walkdir::WalkDir::new(&self.repo)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with(".govbook-"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    fn step(&mut self, op: &Op) {
        match op {
            Op::EditOutside { file, before, text } => {
                let i = *file;
                let Some(m) = self.files[i].as_mut() else {
                    return;
                };
                let line = match format_of(i) {
                    Syntax::Json => return, // a JSON document is managed whole
                    Syntax::Toml | Syntax::Yaml => format!("# ours {}: {text}\n", self.edits),
                    Syntax::Markdown => format!("Ours {}: {text}\n", self.edits),
                };
                let line = if m.region.contains("\r\n") {
                    line.replace('\n', "\r\n")
                } else {
                    line
                };
                if *before {
                    m.prefix.push_str(&line);
                } else {
                    m.suffix.push_str(&line);
                }
                self.edits += 1;
                self.write(i);
            }
            Op::EditInside { file, text } => {
                let i = *file;
                let edits = self.edits;
                let Some(m) = self.files[i].as_mut() else {
                    return;
                };
                if format_of(i) == Syntax::Json {
                    let mut v: serde_json::Value = serde_json::from_str(&m.region).unwrap();
                    v[format!("ours-{edits}")] = serde_json::Value::String(text.clone());
                    m.region = serde_json::to_string_pretty(&v).unwrap() + "\n";
                } else {
                    let nl = if m.region.contains("\r\n") {
                        "\r\n"
                    } else {
                        "\n"
                    };
                    let at = m.region.find('\n').unwrap() + 1;
                    m.region
                        .insert_str(at, &format!("edited {edits}: {text}{nl}"));
                }
                m.clean = None;
                self.edits += 1;
                self.write(i);
            }
            Op::Crlf { file } => {
                let i = *file;
                let Some(m) = self.files[i].as_mut() else {
                    return;
                };
                if format_of(i) == Syntax::Json || m.region.contains("\r\n") {
                    return;
                }
                for part in [&mut m.prefix, &mut m.region, &mut m.suffix] {
                    *part = part.replace('\n', "\r\n");
                }
                self.write(i);
            }
            Op::Delete { file } => {
                if self.files[*file].take().is_some() {
                    std::fs::remove_file(self.path(*file)).unwrap();
                }
            }
            Op::Release => {
                self.current = (self.current + 1).min(handbook().versions.len() - 1);
            }
            Op::Apply { force, dry_run } => self.apply(*force, *dry_run),
            Op::Drift => self.drift(),
        }
        self.check_files(&format!("after {op:?}"));
    }

    fn apply(&mut self, force: bool, dry_run: bool) {
        let v = self.version();
        let only: Vec<String> = TRACKED.iter().map(|s| s.to_string()).collect();
        let opts = Options {
            only: &only,
            dry_run,
            force,
            lock: None,
        };
        let reports = govbook::apply::apply(&v.set, &v.version, &v.baseline, &self.repo, opts)
            .expect("apply runs");
        assert_eq!(reports.len(), TRACKED.len());
        for (i, id) in TRACKED.iter().enumerate() {
            let r = reports.iter().find(|r| r.id == *id).unwrap();
            let artifact = v.set.artifacts.iter().find(|a| a.id == *id).unwrap();
            let current = artifact.hash();
            let format = format_of(i);
            let expected = match &self.files[i] {
                None => Action::Created,
                Some(m) if m.clean.is_none() && !force => Action::Refused {
                    reason: String::new(),
                    forcible: true,
                },
                Some(m) if m.clean.is_none() => Action::Replaced,
                // Current text under an older stamp is left as it is: only
                // the version would change.
                Some(m) if m.clean.as_deref() == Some(current.as_str()) => Action::Unchanged,
                Some(_) => Action::Updated,
            };
            match (&r.action, &expected) {
                (Action::Refused { forcible, reason }, Action::Refused { .. }) => {
                    assert!(*forcible, "{id}: {reason}");
                    assert!(reason.contains("edited locally"), "{id}: {reason}");
                }
                (got, want) => assert_eq!(got, want, "{id}"),
            }
            if dry_run || matches!(expected, Action::Refused { .. } | Action::Unchanged) {
                continue;
            }
            let text = std::fs::read_to_string(self.path(i)).unwrap();
            let (prefix, region, suffix, hash) = split(&text, format);
            assert_eq!(hash, current, "{id}: the managed text is the current one");
            let model = match self.files[i].take() {
                None => {
                    let stamp = artifact.stamp(None, &v.version, &v.baseline);
                    assert_eq!(text, artifact.file_text(&stamp), "{id}: a new file");
                    FileModel {
                        prefix,
                        region,
                        suffix,
                        clean: None,
                        stamped: String::new(),
                    }
                }
                Some(old) => {
                    // No lost work: every byte outside the region is kept.
                    if format != Syntax::Json {
                        assert_eq!(prefix, old.prefix, "{id}: text before the region");
                        assert_eq!(suffix, old.suffix, "{id}: text after the region");
                    }
                    assert_eq!(
                        region.contains("\r\n"),
                        old.region.contains("\r\n"),
                        "{id}: line endings kept"
                    );
                    FileModel { region, ..old }
                }
            };
            self.files[i] = Some(FileModel {
                clean: Some(current),
                stamped: v.version.clone(),
                ..model
            });
        }
    }

    fn drift(&self) {
        let v = self.version();
        let report = govbook::drift::scan(std::slice::from_ref(&self.repo), &v.manifest);
        assert!(report.unreadable.is_empty(), "{:?}", report.unreadable);
        for (i, id) in TRACKED.iter().enumerate() {
            let path = path_of(v, i);
            let findings: Vec<_> = report.files.iter().filter(|f| f.path == path).collect();
            let missing = report.missing.iter().any(|m| m.artifact == *id);
            let Some(m) = &self.files[i] else {
                assert!(findings.is_empty() && missing, "{id}: missing");
                continue;
            };
            assert!(!missing, "{id} is there");
            assert_eq!(findings.len(), 1, "{id}: {findings:?}");
            let f = findings[0];
            let entry = &v.manifest.artifacts[*id];
            let (status, matches) = match &m.clean {
                None => (Status::Modified, None),
                Some(h) if *h == entry.sha256 => (Status::Current, Some(v.version.clone())),
                Some(h) => {
                    let newest = handbook().versions[..=self.current]
                        .iter()
                        .rev()
                        .find(|older| older.manifest.artifacts[*id].sha256 == *h)
                        .map(|older| older.version.clone());
                    assert!(newest.is_some(), "{id}: applied from a released version");
                    (Status::Outdated, newest)
                }
            };
            assert_eq!(f.status, status, "{id}: {}", f.detail);
            assert_eq!(f.matches_version, matches, "{id}");
            assert_eq!(f.stamped_version.as_deref(), Some(m.stamped.as_str()));
        }
        // The untracked artifacts were never applied.
        let expected_missing =
            v.manifest.artifacts.len() - self.files.iter().filter(|f| f.is_some()).count();
        assert_eq!(report.missing.len(), expected_missing);
    }
}

fn cases() -> u32 {
    std::env::var("GOVBOOK_PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(48)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_local_edit_is_lost_and_every_report_is_right(
        ops in prop::collection::vec(op(), 1..24)
    ) {
        // Releases and applies run in this process: no failpoint may be armed.
        let _writes = crate::in_process::writes();
        let tmp = tempfile::tempdir().unwrap();
        let repo = tmp.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        let mut world = World {
            repo,
            current: 0,
            files: [None, None, None, None],
            edits: 0,
        };
        for op in &ops {
            world.step(op);
        }
        // Whatever happened, a forced apply brings every file to the
        // current text and keeps the repository's own lines.
        world.step(&Op::Apply { force: true, dry_run: false });
        world.step(&Op::Apply { force: false, dry_run: false });
        world.step(&Op::Drift);
    }
}
