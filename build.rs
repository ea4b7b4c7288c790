// The bundled handbook and default theme are embedded with include_dir, which cannot tell cargo
// which files it read: rebuild whenever the handbook changes.
fn main() {
    println!("cargo:rerun-if-changed=content");
    println!("cargo:rerun-if-changed=book.toml");
    println!("cargo:rerun-if-changed=themes/default");
}
