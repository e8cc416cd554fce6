import SchedulingModel
import SchedulingRules

/// The file formats the picture of a day can be written in.
public enum RenderFormat: String, Sendable, CaseIterable {
    /// A self-contained HTML page with the picture inline: no scripts, fonts or network.
    case html
    /// A standalone SVG document.
    case svg

    /// The format a file name asks for: SVG for a `.svg` file, HTML for anything else.
    public init(path: String) {
        self = path.lowercased().hasSuffix(".svg") ? .svg : .html
    }
}
