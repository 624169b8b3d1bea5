using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using static AyaQC.Server.Pages.PageLayout;

namespace AyaQC.Server.Pages;

/// <summary>
/// A dashboard page's markup made into one self-contained HTML file (<c>ayaqc report</c>): the pages' stylesheet
/// inline, no script, no font or image from anywhere (charts are inline SVG), so it opens offline. Links to the
/// API point at the server the numbers came from; links to other pages and PNG downloads are dropped.
/// </summary>
public static partial class StaticReportPage
{
    static readonly Lazy<string> Css = new(() =>
    {
        using var s = typeof(StaticReportPage).Assembly.GetManifestResourceStream("AyaQC.Server.Pages.Assets.ayaqc.css")!;
        return new StreamReader(s).ReadToEnd();
    });

    public static string Document(string title, string body, Uri server, DateTimeOffset generatedAt)
    {
        var root = server.ToString().TrimEnd('/');
        body = PngLink().Replace(body, "");
        body = PageLink().Replace(body, "$1");
        body = body.Replace("href=\"/api/", "href=\"" + H(root) + "/api/", StringComparison.Ordinal);
        var html = new StringBuilder(body.Length + 8192);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(H(title)).Append(" · AyaQC report</title><style>").Append(Css.Value).Append("</style></head><body>")
            .Append("<header><nav aria-label=\"AyaQC\"><span class=\"brand\">AyaQC report</span></nav></header><main id=\"main\">")
            .Append(body)
            .Append("<p class=\"api\">Made by <code>ayaqc report</code> on ")
            .Append(generatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append(" UTC from <code>").Append(H(root))
            .Append("</code>: every number is the API's answer at that time.</p></main></body></html>\n");
        return html.ToString();
    }

    [GeneratedRegex("<figcaption><a href=\"/lead/[^\"]*\\.png\" download>PNG</a></figcaption>")]
    private static partial Regex PngLink();

    [GeneratedRegex("<a href=\"/lead/[^\"]*\">(.*?)</a>")]
    private static partial Regex PageLink();
}
