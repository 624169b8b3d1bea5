namespace AyaQC.Core.Qualification;

/// <summary>An assessor's (or the gold set's) judgement of one translation.</summary>
public enum Verdict { Good, Bad }

public static class Verdicts
{
    public static string ToCode(this Verdict v) => v == Verdict.Good ? "good" : "bad";

    public static bool TryParse(string? code, out Verdict verdict)
    {
        switch (code)
        {
            case "good": verdict = Verdict.Good; return true;
            case "bad": verdict = Verdict.Bad; return true;
            default: verdict = default; return false;
        }
    }
}
