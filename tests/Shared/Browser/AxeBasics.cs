using Xunit;

namespace AyaQC.Tests.Shared.Browser;

/// <summary>
/// The basic rules an accessibility checker such as axe applies first, computed in the browser on the page as drawn:
/// the document has a language and a title; every visible form field has a name a screen reader reads (a label for
/// it or around it, aria-label, aria-labelledby or title); radio buttons sit in a fieldset with a legend; every
/// button and link has a name; every chart (an svg) is an image with a label, every img has alt text; ids are
/// unique. (Contrast is <see cref="Contrast"/>'s check.)
/// </summary>
public static class AxeBasics
{
    const string Script = """
        const failures = [];
        const visible = el => { const s = getComputedStyle(el), r = el.getBoundingClientRect();
          return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 0 && r.height > 0; };
        const text = s => (s || '').replace(/\s+/g, ' ').trim();
        const named = el => text(el.getAttribute('aria-label')).length > 0 || text(el.getAttribute('title')).length > 0
          || (el.getAttribute('aria-labelledby') || '').split(/\s+/).some(id => id && text((document.getElementById(id) || {}).textContent).length > 0);
        const describe = el => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.name ? '[name=' + el.name + ']' : ''}`;
        if (!text(document.documentElement.lang)) failures.push('html has no lang');
        if (!text(document.title)) failures.push('the page has no title');
        for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
          if (!visible(el) && el.type !== 'radio') continue;
          const label = (el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`)) || el.closest('label');
          if (!(label && text(label.textContent)) && !named(el)) failures.push(`${describe(el)} has no label`);
          if (el.type === 'radio') { const fs = el.closest('fieldset');
            if (!fs || !fs.querySelector('legend') || !text(fs.querySelector('legend').textContent)) failures.push(`${describe(el)} is not in a fieldset with a legend`); }
        }
        for (const el of document.querySelectorAll('button, a[href], input[type=submit]')) {
          if (!visible(el)) continue;
          if (!text(el.innerText || el.value) && !named(el)) failures.push(`${describe(el)} has no name`);
        }
        for (const svg of document.querySelectorAll('svg')) {
          if (svg.parentElement && svg.parentElement.closest('svg')) continue;
          if (svg.getAttribute('role') !== 'img' || !text(svg.getAttribute('aria-label'))) failures.push('a chart (svg) is not an image with a label');
        }
        for (const img of document.querySelectorAll('img')) if (!img.hasAttribute('alt')) failures.push(`img ${img.src} has no alt`);
        const seen = new Set();
        for (const el of document.querySelectorAll('[id]')) { if (seen.has(el.id)) failures.push(`id "${el.id}" is used twice`); seen.add(el.id); }
        return failures;
        """;

    public static IReadOnlyList<string> Check(HeadlessChromium browser) =>
        ((IReadOnlyCollection<object>)browser.Js(Script)!).Select(f => (string)f).ToList();

    /// <summary>The page breaks none of the rules.</summary>
    public static void AssertPasses(HeadlessChromium browser)
    {
        var failures = Check(browser);
        Assert.True(failures.Count == 0, $"{browser.Web.Url}: accessibility basics:\n" + string.Join("\n", failures));
    }
}
