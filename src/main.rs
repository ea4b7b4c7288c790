//! The `govbook` command: parses the command line and runs it (see
//! [`govbook::cli`]).

fn main() -> std::process::ExitCode {
    govbook::cli::main()
}
