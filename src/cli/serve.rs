//! `govbook serve`.

use std::net::IpAddr;
use std::path::Path;
use std::process::ExitCode;

use super::Cli;
use crate::failure::{Failure, usage};
use crate::serve::{self, ServeOptions};

/// Where `serve` listens and which host names it answers to.
pub(super) struct Listen {
    /// Address to bind.
    pub bind: IpAddr,
    /// Port (0 picks a free one).
    pub port: u16,
    /// Host names accepted besides localhost and IP addresses.
    pub allow_host: Vec<String>,
}

/// Serves the book until interrupted.
pub(super) fn run(cli: &Cli, dir: &Path, listen: Listen, open: bool) -> Result<ExitCode, Failure> {
    let today = super::today(cli.today)?;
    if !dir.join("book.toml").is_file() {
        let hint = if dir.is_dir() {
            "run `govbook init` to create a handbook, or point to the directory that holds book.toml"
        } else {
            "the book directory does not exist"
        };
        return Err(usage(format!(
            "no book.toml in {}\n  = help: {hint}",
            dir.display()
        )));
    }
    if !listen.bind.is_loopback() {
        eprintln!(
            "warning: serving on {}, which other machines can reach; they must name this \
             machine by IP address, or by a name given with --allow-host",
            listen.bind
        );
    }
    let opts = ServeOptions {
        root: dir.to_path_buf(),
        bind: listen.bind,
        port: listen.port,
        today,
        allowed_hosts: listen.allow_host,
    };
    serve::run(opts, |addr| {
        let url = format!("http://{addr}/");
        eprintln!(
            "govbook serve: serving {} on {url} (Ctrl-C to stop)",
            dir.display()
        );
        if open {
            open_browser(&url);
        }
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Asks the desktop to open `url`; failure is only reported.
fn open_browser(url: &str) {
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    if let Err(e) = std::process::Command::new(program).args(args).spawn() {
        eprintln!("govbook serve: could not open a browser ({e}); open {url} yourself");
    }
}
