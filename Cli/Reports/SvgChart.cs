using System.Globalization;
using System.Text;

namespace InternetIdentity.Cli.Reports;

/// <summary>
/// Line charts as standalone SVG: stacked panels, each with series of (x, y) points (NaN y = a gap) and shaded x
/// intervals with labels. `iinet chaos` plots replica heights with fault windows; bench/SubnetLoad links this file for its
/// throughput panels.
/// </summary>
internal static class SvgChart
{
    /// <summary>Colors of series in order.</summary>
    public static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];

    /// <summary>A line: its name (legend), color and points.</summary>
    internal sealed record Series(string Name, string Color, IReadOnlyList<(double X, double Y)> Points);

    /// <summary>A shaded interval of x with a label.</summary>
    internal sealed record Band(double From, double To, string Label, string Color = "#f4b6b6");

    /// <summary>One panel: a title, its series and bands, and the unit of each axis.</summary>
    internal sealed record Panel(string Title, IReadOnlyList<Series> Series, IReadOnlyList<Band>? Bands = null, string XUnit = "s", string YUnit = "");

    /// <summary>The SVG document of <paramref name="panels"/> under <paramref name="title"/>.</summary>
    public static string Render(string title, IReadOnlyList<Panel> panels, int width = 720, int panelHeight = 150)
    {
        const int left = 64, right = 12, top = 24, bottom = 22;
        int height = 24 + (panels.Count * panelHeight);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{Escape(title)}\">\n");
        svg.Append("<style>text{font:12px sans-serif;fill:#333}</style>\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"8\" y=\"16\">{Escape(title)}</text>\n");
        for (int p = 0; p < panels.Count; p++)
        {
            Panel panel = panels[p];
            var points = panel.Series.SelectMany(s => s.Points).Where(q => !double.IsNaN(q.Y)).ToList();
            double xMin = Math.Min(0, points.Count == 0 ? 0 : points.Min(q => q.X));
            double xMax = Math.Max(xMin + 1, Math.Max(points.Count == 0 ? 1 : points.Max(q => q.X), (panel.Bands ?? []).Select(b => b.To).DefaultIfEmpty(0).Max()));
            double yMax = Math.Max(1, points.Count == 0 ? 1 : points.Max(q => q.Y));
            int y0 = 24 + (p * panelHeight);
            double X(double x) => left + ((width - left - right) * (x - xMin) / (xMax - xMin));
            double Y(double y) => y0 + top + ((panelHeight - top - bottom) * (1 - (y / yMax)));
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"{y0 + 16}\">{Escape(panel.Title)}</text>\n");
            foreach (Band band in panel.Bands ?? [])
            {
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect x=\"{X(band.From):0.0}\" y=\"{Y(yMax):0.0}\" width=\"{Math.Max(1, X(band.To) - X(band.From)):0.0}\" height=\"{Y(0) - Y(yMax):0.0}\" fill=\"{band.Color}\" opacity=\"0.5\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(band.From) + 2:0.0}\" y=\"{Y(yMax) + 12:0.0}\" style=\"font-size:10px\">{Escape(band.Label)}</text>\n");
            }

            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{Y(0):0.0}\" x2=\"{width - right}\" y2=\"{Y(0):0.0}\" stroke=\"#999\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{Y(yMax):0.0}\" x2=\"{left}\" y2=\"{Y(0):0.0}\" stroke=\"#999\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"{Y(yMax) + 4:0.0}\">{yMax:0.#}{Escape(panel.YUnit)}</text><text x=\"4\" y=\"{Y(0):0.0}\">0</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"{Y(0) + 14:0.0}\">{xMin:0.#} {Escape(panel.XUnit)}</text><text x=\"{width - right - 50}\" y=\"{Y(0) + 14:0.0}\">{xMax:0.#} {Escape(panel.XUnit)}</text>\n");
            for (int s = 0; s < panel.Series.Count; s++)
            {
                Series series = panel.Series[s];
                foreach (List<(double X, double Y)> run in Runs(series.Points))
                {
                    string line = string.Join(' ', run.Select(q => string.Create(CultureInfo.InvariantCulture, $"{X(q.X):0.0},{Y(q.Y):0.0}")));
                    svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{line}\" fill=\"none\" stroke=\"{series.Color}\" stroke-width=\"1.5\"/>\n");
                }

                if (panel.Series.Count > 1)
                {
                    double lx = left + 8 + (s * 90);
                    svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{lx:0.0}\" y=\"{y0 + panelHeight - 12}\" width=\"10\" height=\"3\" fill=\"{series.Color}\"/>");
                    svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{lx + 14:0.0}\" y=\"{y0 + panelHeight - 7}\" style=\"font-size:10px\">{Escape(series.Name)}</text>\n");
                }
            }
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    // Consecutive points without a gap (NaN y) form one polyline.
    private static IEnumerable<List<(double X, double Y)>> Runs(IReadOnlyList<(double X, double Y)> points)
    {
        var run = new List<(double X, double Y)>();
        foreach ((double x, double y) in points)
        {
            if (double.IsNaN(y))
            {
                if (run.Count > 0)
                {
                    yield return run;
                }

                run = [];
            }
            else
            {
                run.Add((x, y));
            }
        }

        if (run.Count > 0)
        {
            yield return run;
        }
    }

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);
}
