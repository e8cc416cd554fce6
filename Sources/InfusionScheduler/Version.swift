/// The library's version: what CHANGELOG.md calls it, and what `infusion-scheduler --version`
/// prints. It changes with every change to the public API or the file formats.
public enum LibraryVersion {
    /// The version, `MAJOR.MINOR.PATCH`; before 1.0 a minor step may break the public API.
    public static let current = "0.12.0"
}
