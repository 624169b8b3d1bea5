namespace AyaQC.Core.Qualification;

/// <summary>One item of a qualification (gold) set: a translation with its known verdict.</summary>
/// <param name="ErrorType">One of <see cref="ErrorTypes"/> for bad items; null for good ones.</param>
/// <param name="Explanation">Why a bad item is bad; never shown to assessors.</param>
public sealed record GoldItem(
    string Id,
    string SourceLang,
    string TargetLang,
    string Source,
    string Translation,
    Verdict Label,
    string? ErrorType,
    string? Explanation);
