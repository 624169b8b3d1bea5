using Xunit;

namespace AyaQC.Tests.Shared.Browser;

/// <summary>
/// WCAG 2 contrast of the page's visible text, computed in the browser: for each element with its own text (and each
/// form field), the text colour against the background it sits on (the element's and its ancestors' background
/// colours composed over white), as (L1 + 0.05) / (L2 + 0.05) of their relative luminances. Normal text needs 4.5:1,
/// large text (≥ 24 px, or ≥ 18.66 px bold) 3:1. Chart text inside SVG is left out (its background is a drawn shape).
/// </summary>
public static class Contrast
{
    const string Script = """
        const parse = c => { const m = /rgba?\(([^)]*)\)/.exec(c); if (!m) return null;
          const p = m[1].split(/[\s,\/]+/).filter(x => x.length).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
        const over = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3])).concat([1]);
        const lum = c => { const f = v => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
          return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
        const background = el => { const chain = []; for (let e = el; e; e = e.parentElement) chain.push(e);
          let bg = [255, 255, 255, 1];
          for (const e of chain.reverse()) { const c = parse(getComputedStyle(e).backgroundColor); if (c && c[3] > 0) bg = over(c, bg); }
          return bg; };
        const own = el => Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim().length > 0);
        const fields = el => el.matches('input:not([type=hidden]):not([type=radio]):not([type=checkbox]):not([type=file]), select, textarea');
        const checked = [], failures = [];
        for (const el of document.body.querySelectorAll('*')) {
          if (el.closest('svg') || !(own(el) || fields(el))) continue;
          const s = getComputedStyle(el), r = el.getBoundingClientRect();
          if (s.visibility === 'hidden' || s.display === 'none' || r.width === 0 || r.height === 0) continue;
          const bg = background(el), fg = over(parse(s.color), bg);
          const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
          const ratio = (a + 0.05) / (b + 0.05);
          const size = parseFloat(s.fontSize), bold = parseInt(s.fontWeight, 10) >= 700;
          const need = size >= 24 || (size >= 18.66 && bold) ? 3 : 4.5;
          checked.push(el.tagName);
          if (ratio < need) failures.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.value || '').trim().slice(0, 40)}": ${ratio.toFixed(2)}:1 < ${need}:1 (${s.color} on rgb(${bg.slice(0, 3).map(Math.round).join(', ')}))`);
        }
        return [checked.length, failures];
        """;

    /// <summary>How many text elements were checked, and each one below its threshold, described.</summary>
    public static (long Checked, IReadOnlyList<string> Failures) Check(HeadlessChromium browser)
    {
        var result = (IReadOnlyList<object>)browser.Js(Script)!;
        return (Convert.ToInt64(result[0]), ((IReadOnlyCollection<object>)result[1]).Select(f => (string)f).ToList());
    }

    /// <summary>Every visible text on the page meets its contrast threshold (and there is text to check).</summary>
    public static void AssertReadable(HeadlessChromium browser)
    {
        var (count, failures) = Check(browser);
        Assert.True(count >= 3, $"{browser.Web.Url}: only {count} text elements found to check");
        Assert.True(failures.Count == 0, $"{browser.Web.Url}: text below WCAG contrast:\n" + string.Join("\n", failures));
    }
}
