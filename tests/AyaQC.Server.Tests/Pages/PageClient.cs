using System.Net;
using System.Text.RegularExpressions;

namespace AyaQC.Server.Tests.Pages;

/// <summary>A browser-like client of the pages: keeps cookies, does not follow redirects, sends forms with their anti-forgery field.</summary>
public sealed partial class PageClient : IDisposable
{
    readonly HttpClient _http;

    public PageClient(Uri baseAddress)
    {
        _http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = baseAddress };
    }

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

    public async Task<string> GetHtmlAsync(string path)
    {
        var response = await _http.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Posts a form the way the page at <paramref name="formPage"/> would, with its anti-forgery field.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string formPage, string action, params (string Name, string Value)[] fields)
    {
        var page = await _http.GetStringAsync(formPage);
        var token = Antiforgery().Match(page);
        Assert.True(token.Success, $"no anti-forgery field on {formPage}: {page[..Math.Min(page.Length, 600)]}");
        return await _http.PostAsync(action, new FormUrlEncodedContent([new("__af", WebUtility.HtmlDecode(token.Groups[1].Value)), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]));
    }

    public async Task<HttpResponseMessage> PostMultipartAsync(string formPage, string action, string field, string fileName, string content)
    {
        var page = await _http.GetStringAsync(formPage);
        var token = Antiforgery().Match(page);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(WebUtility.HtmlDecode(token.Groups[1].Value)), "__af" },
            { new StringContent(content), field, fileName },
        };
        return await _http.PostAsync(action, form);
    }

    public Task<HttpResponseMessage> PostRawAsync(string action, params (string Name, string Value)[] fields) =>
        _http.PostAsync(action, new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))));

    public async Task SignInAsync(string token)
    {
        var response = await PostFormAsync("/", "/sign-in", ("token", token));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [GeneratedRegex("name=\"__af\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();

    public void Dispose() => _http.Dispose();
}
