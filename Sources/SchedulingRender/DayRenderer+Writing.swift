import Foundation
import SchedulingModel

import SchedulingRules

extension DayRenderer {
    /// Renders the picture and writes it to `path`, in `format` or else the one the file
    /// name asks for (``RenderFormat/init(path:)``).
    ///
    /// Shared by `render` and `solve --render` so that the nightly picture is the same file
    /// either way.
    ///
    /// - Throws: ``SchedulingModel/InputError`` naming `path` when the file cannot be written.
    public static func write(day: ResolvedDay, schedule: Schedule, to path: String, format: RenderFormat? = nil) throws {
        try RenderFormat.write(render(day: day, schedule: schedule, format: format ?? RenderFormat(path: path)), to: path)
    }
}

extension RenderFormat {
    /// Writes a rendered picture to `path`, atomically.
    ///
    /// - Throws: ``SchedulingModel/InputError`` naming `path` when the file cannot be written.
    package static func write(_ picture: String, to path: String) throws {
        do {
            try Data(picture.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw InputError(file: path, path: "", message: "the picture cannot be written")
        }
    }
}
