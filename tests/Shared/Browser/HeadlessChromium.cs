using System.Drawing;
using AyaQC.Tests.Shared;
using Xunit;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace AyaQC.Tests.Shared.Browser;

/// <summary>
/// Debian's chromium driven by Debian's chromedriver (Selenium), headless, with a fresh profile that is removed
/// afterwards; nothing is downloaded. Screenshots go to reports/screenshots/ (git-ignored).
/// </summary>
public sealed class HeadlessChromium : IDisposable
{
    public const string Binary = "/usr/bin/chromium", Driver = "/usr/bin/chromedriver";

    public static bool IsAvailable => File.Exists(Binary) && File.Exists(Driver);

    public const string MissingMessage =
        "Debian's chromium and chromium-driver are not installed (/usr/bin/chromium, /usr/bin/chromedriver); .ci/run installs them: apt-get install chromium chromium-driver";

    readonly string _profile = Directory.CreateTempSubdirectory("ayaqc-chromium-").FullName;

    public ChromeDriver Web { get; }

    public HeadlessChromium()
    {
        Environment.SetEnvironmentVariable("SE_OFFLINE", "true"); // Selenium Manager must not try to fetch a browser
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Driver)!, Path.GetFileName(Driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = Binary };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + _profile);
        Web = new ChromeDriver(service, options, TimeSpan.FromSeconds(90));
        Web.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(60);
    }

    /// <summary>A phone (360 px wide, touch) or a desktop viewport.</summary>
    public void Viewport(int width, int height, bool mobile)
    {
        Web.Manage().Window.Size = new Size(Math.Max(width, 500), height + 120);
        Web.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride", new Dictionary<string, object>
        {
            ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = mobile,
        });
    }

    public string Screenshot(string name)
    {
        var dir = RepoPaths.InRepo("reports", "screenshots");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name + ".png");
        // Whole page, not only the viewport.
        var shot = Web.ExecuteCdpCommand("Page.captureScreenshot", new Dictionary<string, object> { ["captureBeyondViewport"] = true, ["format"] = "png" });
        File.WriteAllBytes(path, Convert.FromBase64String((string)((Dictionary<string, object>)shot)["data"]));
        return path;
    }

    public object? Js(string script, params object[] args) => Web.ExecuteScript(script, args);

    public void Dispose()
    {
        Web.Quit();
        Web.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { }
    }
}

/// <summary>A fact that needs Debian's chromium; skipped with a clear message where it is absent.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!HeadlessChromium.IsAvailable) Skip = HeadlessChromium.MissingMessage;
    }
}
