//! The `govbook` command: parses the command line and runs it (see
//! [`govbook::cli`]).

fn main() -> std::process::ExitCode {
    // `govbook apply … | head`: a closed pipe ends the process quietly, as
    // it does every Unix filter, instead of a panic in `print!`.
    #[cfg(target_os = "linux")]
    // SAFETY: restoring the default disposition of SIGPIPE before any
    // thread starts; no handler runs.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    govbook::cli::main()
}
