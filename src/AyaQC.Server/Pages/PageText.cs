namespace AyaQC.Server.Pages;

/// <summary>Interface text of the pages in English and Swahili; the language comes from ?lang=, a cookie or Accept-Language.</summary>
public sealed class PageText
{
    public const string CookieName = "ayaqc-lang";

    public static readonly PageText English = new("en", new Dictionary<string, string>
    {
        ["app"] = "AyaQC",
        ["signin.title"] = "Sign in",
        ["signin.token"] = "Your token (assessor token or admin key)",
        ["signin.submit"] = "Sign in",
        ["signin.bad"] = "That token is not known (or was replaced). Ask your project lead for a new one.",
        ["signin.link"] = "Sign in with this one-time link",
        ["signin.link.bad"] = "This sign-in link is unknown, already used or expired. Ask your project lead for a new one.",
        ["signin.help"] = "Paste the token your project lead gave you, or open the one-time link they sent.",
        ["signout"] = "Sign out",
        ["nav.work"] = "My rounds",
        ["nav.lead"] = "Rounds",
        ["nav.projects"] = "Projects",
        ["nav.datasets"] = "Datasets",
        ["nav.assessors"] = "Assessors",
        ["nav.hter"] = "HTER report",
        ["lang"] = "Kiswahili",
        ["work.title"] = "My rounds",
        ["work.none"] = "You have no rounds yet.",
        ["work.round"] = "Round",
        ["work.status"] = "Status",
        ["work.progress"] = "Progress",
        ["work.open"] = "Continue",
        ["work.finished"] = "finished",
        ["status.open"] = "open",
        ["status.closed"] = "closed",
        ["status.expired"] = "expired",
        ["item.of"] = "Item {0} of {1}",
        ["item.source"] = "Source",
        ["item.translation"] = "Translation",
        ["item.verdict"] = "Is the translation good?",
        ["item.good"] = "Good",
        ["item.bad"] = "Bad",
        ["item.errortype"] = "Error type (for a bad translation)",
        ["item.errortype.none"] = "— not named —",
        ["item.submit"] = "Save and next",
        ["item.keys"] = "Keyboard: G good · B bad · 1–9 error type · Enter save",
        ["item.done"] = "Thank you — you have finished this round.",
        ["item.done.count"] = "You answered {0} of {1} items; no more are needed.",
        ["item.back"] = "Back to my rounds",
        ["refused.not_in_round"] = "You are not part of this round.",
        ["refused.round_closed"] = "This round is closed; answers are no longer taken.",
        ["refused.round_expired"] = "This round has expired; answers are no longer taken.",
        ["refused.already_answered"] = "That item was already answered; answers cannot be changed.",
        ["refused.not_current_item"] = "That item is not the one being served now; here is the current item.",
        ["refused.assessment_complete"] = "Your assessment in this round is complete; no more answers are taken.",
        ["refused.item_not_in_round"] = "That item is not among your items in this round.",
        ["refused.verdict"] = "Choose Good or Bad before saving.",
        ["refused.errorType"] = "An error type goes only with Bad.",
        ["work.projects"] = "My projects",
        ["work.projects.none"] = "You are in no assessment project yet.",
        ["work.project"] = "Project",
        ["work.postedit"] = "with post-editing",
        ["status.paused"] = "paused",
        ["status.draft"] = "not started",
        ["item.n"] = "Item {0}",
        ["item.postedit"] = "Your corrected translation (edit only what is wrong; leave it as it is if nothing is)",
        ["item.keys.postedit"] = "Keyboard (outside the text box): G good · B bad · 1–9 error type · Enter save",
        ["project.done"] = "Thank you — there is nothing more for you in this project now.",
        ["project.quota"] = "Thank you — you have reached your quota in this project.",
        ["refused.not_in_project"] = "You are not in this project's pool.",
        ["refused.project_not_open"] = "This project is not open (paused, closed or past its deadline); answers are not taken now.",
        ["refused.suspended"] = "You are suspended in this project; your project lead can tell you why.",
        ["refused.item_not_served"] = "That item is not the one served to you now; here is the current one.",
        ["refused.postEdit"] = "The corrected translation was not taken (empty or too long).",
        ["refused.other"] = "The answer was not taken.",
        ["denied"] = "Your role may not open this page.",
    });

    public static readonly PageText Swahili = new("sw", new Dictionary<string, string>
    {
        ["app"] = "AyaQC",
        ["signin.title"] = "Ingia",
        ["signin.token"] = "Tokeni yako (ya mtathmini au ufunguo wa msimamizi)",
        ["signin.submit"] = "Ingia",
        ["signin.bad"] = "Tokeni hiyo haijulikani (au imebadilishwa). Muombe kiongozi wa mradi tokeni mpya.",
        ["signin.link"] = "Ingia kwa kiungo hiki cha mara moja",
        ["signin.link.bad"] = "Kiungo hiki hakijulikani, kimeshatumika au muda wake umekwisha. Muombe kiongozi wa mradi kiungo kipya.",
        ["signin.help"] = "Bandika tokeni uliyopewa na kiongozi wa mradi, au fungua kiungo cha mara moja alichokutumia.",
        ["signout"] = "Toka",
        ["nav.work"] = "Raundi zangu",
        ["nav.lead"] = "Raundi",
        ["nav.projects"] = "Miradi",
        ["nav.datasets"] = "Seti za data",
        ["nav.assessors"] = "Watathmini",
        ["nav.hter"] = "Ripoti ya HTER",
        ["lang"] = "English",
        ["work.title"] = "Raundi zangu",
        ["work.none"] = "Bado huna raundi.",
        ["work.round"] = "Raundi",
        ["work.status"] = "Hali",
        ["work.progress"] = "Maendeleo",
        ["work.open"] = "Endelea",
        ["work.finished"] = "umemaliza",
        ["status.open"] = "wazi",
        ["status.closed"] = "imefungwa",
        ["status.expired"] = "muda umekwisha",
        ["item.of"] = "Kipengele {0} kati ya {1}",
        ["item.source"] = "Chanzo",
        ["item.translation"] = "Tafsiri",
        ["item.verdict"] = "Je, tafsiri ni nzuri?",
        ["item.good"] = "Nzuri",
        ["item.bad"] = "Mbaya",
        ["item.errortype"] = "Aina ya kosa (kwa tafsiri mbaya)",
        ["item.errortype.none"] = "— haijatajwa —",
        ["item.submit"] = "Hifadhi na endelea",
        ["item.keys"] = "Kibodi: G nzuri · B mbaya · 1–9 aina ya kosa · Enter hifadhi",
        ["item.done"] = "Asante — umemaliza raundi hii.",
        ["item.done.count"] = "Umejibu vipengele {0} kati ya {1}; hakuna zaidi vinavyohitajika.",
        ["item.back"] = "Rudi kwenye raundi zangu",
        ["refused.not_in_round"] = "Wewe si mshiriki wa raundi hii.",
        ["refused.round_closed"] = "Raundi hii imefungwa; majibu hayapokelewi tena.",
        ["refused.round_expired"] = "Muda wa raundi hii umekwisha; majibu hayapokelewi tena.",
        ["refused.already_answered"] = "Kipengele hicho kimeshajibiwa; majibu hayawezi kubadilishwa.",
        ["refused.not_current_item"] = "Kipengele hicho sicho kinachotolewa sasa; hiki ndicho kipengele cha sasa.",
        ["refused.assessment_complete"] = "Tathmini yako katika raundi hii imekamilika; hakuna majibu zaidi yanayopokelewa.",
        ["refused.item_not_in_round"] = "Kipengele hicho si miongoni mwa vipengele vyako katika raundi hii.",
        ["refused.verdict"] = "Chagua Nzuri au Mbaya kabla ya kuhifadhi.",
        ["refused.errorType"] = "Aina ya kosa huenda tu na Mbaya.",
        ["work.projects"] = "Miradi yangu",
        ["work.projects.none"] = "Bado huko kwenye mradi wowote wa tathmini.",
        ["work.project"] = "Mradi",
        ["work.postedit"] = "pamoja na kusahihisha",
        ["status.paused"] = "imesitishwa",
        ["status.draft"] = "haijaanza",
        ["item.n"] = "Kipengele {0}",
        ["item.postedit"] = "Tafsiri yako iliyosahihishwa (hariri kilicho na kosa tu; iache kama ilivyo ikiwa hakuna kosa)",
        ["item.keys.postedit"] = "Kibodi (nje ya kisanduku cha maandishi): G nzuri · B mbaya · 1–9 aina ya kosa · Enter hifadhi",
        ["project.done"] = "Asante — hakuna kazi zaidi kwako katika mradi huu kwa sasa.",
        ["project.quota"] = "Asante — umefikia kiwango chako katika mradi huu.",
        ["refused.not_in_project"] = "Wewe si miongoni mwa watathmini wa mradi huu.",
        ["refused.project_not_open"] = "Mradi huu haujafunguliwa (umesitishwa, umefungwa au muda wake umekwisha); majibu hayapokelewi sasa.",
        ["refused.suspended"] = "Umesimamishwa katika mradi huu; kiongozi wa mradi anaweza kukueleza sababu.",
        ["refused.item_not_served"] = "Kipengele hicho sicho ulichopewa sasa; hiki ndicho cha sasa.",
        ["refused.postEdit"] = "Tafsiri iliyosahihishwa haikupokelewa (tupu au ndefu mno).",
        ["refused.other"] = "Jibu halikupokelewa.",
        ["denied"] = "Jukumu lako haliruhusu kufungua ukurasa huu.",
    });

    readonly IReadOnlyDictionary<string, string> _texts;

    PageText(string language, IReadOnlyDictionary<string, string> texts)
    {
        Language = language;
        _texts = texts;
    }

    public string Language { get; }

    public string this[string key] => _texts.TryGetValue(key, out var t) ? t : English._texts.GetValueOrDefault(key, key);

    public string Format(string key, params object[] args) => string.Format(System.Globalization.CultureInfo.InvariantCulture, this[key], args);

    /// <summary>?lang= (remembered in a cookie), else the cookie, else Accept-Language, else English.</summary>
    public static PageText For(HttpContext http)
    {
        var asked = http.Request.Query["lang"].ToString();
        if (asked is "en" or "sw")
        {
            http.Response.Cookies.Append(CookieName, asked, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(365) });
            return asked == "sw" ? Swahili : English;
        }
        if (http.Request.Cookies[CookieName] is { } saved) return saved == "sw" ? Swahili : English;
        return http.Request.Headers.AcceptLanguage.ToString().StartsWith("sw", StringComparison.OrdinalIgnoreCase) ? Swahili : English;
    }
}
