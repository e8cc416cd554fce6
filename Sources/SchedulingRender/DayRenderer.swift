import SchedulingModel
import SchedulingRules

/// Draws one day's schedule as a single self-contained picture: the chair Gantt, the nurses'
/// load, the pharmacy and lab lanes, and a header with the figures that matter.
///
/// The output has no scripts, no external fonts or images and no network references; hovering
/// any bar shows its details through SVG `<title>` elements. Elements carry classes and `data-`
/// attributes (`appt`/`data-request`, `chair-row`/`data-chair`, `nurse-row`, `prep`, `draw`, …)
/// so that tests and tools can read the picture back. The same day and schedule always give
/// the same bytes.
public enum DayRenderer {
    /// Renders `schedule` on `day` as an HTML page or an SVG document.
    ///
    /// The schedule need not be valid: appointments naming unknown ids are left out and
    /// counted in the header, and times outside the day widen the time axis.
    ///
    /// - Complexity: O(appointments × nurses + chairs × day minutes).
    public static func render(day: ResolvedDay, schedule: Schedule, format: RenderFormat) -> String {
        let picture = DayPicture(day: day, schedule: schedule)
        var canvas = DayCanvas(picture: picture)
        canvas.draw()
        let svg = canvas.document()
        switch format {
        case .svg:
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg
        case .html:
            let title = Markup.escape("Infusion day \(day.day.date)")
            return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title)</title>
            <style>html,body{margin:0;padding:0;background:#ffffff}body{padding:8px}svg{display:block}</style>
            </head>
            <body>
            \(svg)</body>
            </html>

            """
        }
    }
}
