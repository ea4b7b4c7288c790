//! The table of governance concerns: each source file under `governance/`
//! and each generated page, keyed by name, in sidebar order. The model's
//! fields, the loader, the generated pages and the sidebar all read it.

use super::{
    Checklists, Commands, GovFile, Metrics, Owners, Plugins, Policy, Profiles, Releases, Review,
    Rollout, Upgrades, load,
};
use crate::diag::Diagnostics;
use crate::text::{FileId, Sources};

/// Whether a book with governance must have a concern's source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRule {
    /// `governance/NAME.toml` must exist.
    Required,
    /// `governance/NAME.toml` is written by a govbook command (`release`):
    /// it may be absent, and people do not review it.
    Written,
    /// The page is generated from the rest of the book; there is no file.
    NoFile,
}

/// One governance concern.
#[derive(Debug, Clone)]
pub struct Concern {
    /// The key: the file stem under `governance/`, or the page's name when
    /// there is no file.
    pub name: &'static str,
    /// Whether its source file is required.
    pub file: FileRule,
    /// Its generated page, relative to the site root.
    pub url: &'static str,
    /// The page's title (sidebar and `<title>`).
    pub title: &'static str,
}

impl Concern {
    /// Whether govbook reads a `governance/NAME.toml` for this concern.
    pub fn has_file(&self) -> bool {
        self.file != FileRule::NoFile
    }
}

/// The concern named `name`.
pub fn concern(name: &str) -> Option<&'static Concern> {
    CONCERNS.iter().find(|c| c.name == name)
}

/// Declares the table once: the `Governance` struct's fields, the loader's
/// dispatch and [`CONCERNS`] all come from the same rows, so a concern cannot
/// be added to one and forgotten in another.
macro_rules! concerns {
    (
        files { $( $name:ident : $ty:ty, $rule:ident, $url:literal, $title:literal; )* }
        pages { $( $page:ident, $purl:literal, $ptitle:literal; )* }
    ) => {
        /// Every governance concern with a source file; `None` where the
        /// file is missing or unreadable.
        #[derive(Debug, Default)]
        pub struct Governance {
            $(
                #[doc = concat!("`governance/", stringify!($name), ".toml`.")]
                pub $name: Option<GovFile<$ty>>,
            )*
            /// Required governance files that do not exist (file stems).
            pub missing: Vec<&'static str>,
        }

        /// Every concern, in sidebar order.
        pub const CONCERNS: &[Concern] = &[
            $( Concern { name: stringify!($name), file: FileRule::$rule, url: $url, title: $title }, )*
            $( Concern { name: stringify!($page), file: FileRule::NoFile, url: $purl, title: $ptitle }, )*
        ];

        impl Governance {
            /// Each loaded file that people review, with its concern, file
            /// and review keys, in table order.
            pub fn reviews(&self) -> Vec<(&'static Concern, FileId, &Review)> {
                let mut out = Vec::new();
                $(
                    if let (Some(f), Some(c)) = (&self.$name, concern(stringify!($name)))
                        && c.file == FileRule::Required
                    {
                        out.push((c, f.file, &f.review));
                    }
                )*
                out
            }
        }

        /// The JSON Schema of each governance file's own keys, by file stem,
        /// in table order (the review keys are added by `crate::schema`).
        pub fn file_schemas(g: &mut schemars::SchemaGenerator) -> Vec<(&'static str, schemars::Schema)> {
            vec![ $( (stringify!($name), g.root_schema_for::<$ty>()), )* ]
        }

        /// Loads governance file `stem` into its slot of `g`; `false` when
        /// govbook reads no file of that name.
        pub(crate) fn load_into(
            g: &mut Governance,
            stem: &str,
            sources: &Sources,
            id: FileId,
            diags: &mut Diagnostics,
        ) -> bool {
            match stem {
                $( stringify!($name) => g.$name = load(sources, id, diags), )*
                _ => return false,
            }
            true
        }
    };
}

concerns! {
    files {
        policy: Policy, Required, "governance/policy.html", "Usage policy";
        profiles: Profiles, Required, "governance/profiles.html", "Approved profiles";
        commands: Commands, Required, "governance/commands.html", "Verification commands";
        checklists: Checklists, Required, "governance/checklists.html", "Checklists";
        rollout: Rollout, Required, "governance/rollout.html", "Rollout";
        upgrades: Upgrades, Required, "governance/upgrades.html", "Upgrades";
        plugins: Plugins, Required, "governance/plugins.html", "Plugins";
        metrics: Metrics, Required, "governance/metrics.html", "Metrics";
        owners: Owners, Required, "governance/owners.html", "Owners and review status";
        releases: Releases, Written, "governance/changelog.html", "Changelog";
    }
    pages {
        diagnostics, "governance/diagnostics.html", "Diagnostic code index";
        templates, "governance/templates.html", "Templates";
        fleet, "governance/fleet.html", "Fleet";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A generated page is not called what a page of the bundled handbook
    /// is called: the sidebar lists both.
    #[test]
    fn no_generated_page_shares_a_title_with_a_bundled_chapter() {
        let summary = crate::bundled::files()
            .into_iter()
            .find(|(p, _)| p == "content/SUMMARY.md")
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .expect("the bundled SUMMARY.md");
        for c in CONCERNS {
            assert!(
                !summary.contains(&format!("[{}](", c.title)),
                "{} is also a chapter's title",
                c.title
            );
        }
    }

    #[test]
    fn names_and_urls_are_unique() {
        let mut names: Vec<_> = CONCERNS.iter().map(|c| c.name).collect();
        let mut urls: Vec<_> = CONCERNS.iter().map(|c| c.url).collect();
        names.sort_unstable();
        names.dedup();
        urls.sort_unstable();
        urls.dedup();
        assert_eq!(names.len(), CONCERNS.len());
        assert_eq!(urls.len(), CONCERNS.len());
    }
}
