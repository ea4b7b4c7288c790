fn main() -> std::process::ExitCode {
    govbook::cli::main()
}
