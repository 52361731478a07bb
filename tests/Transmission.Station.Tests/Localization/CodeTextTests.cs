using Transmission.Core.Election;
using Transmission.Core.Pki;
using Transmission.Station.Localization;
using Transmission.Station.Sending;
using Transmission.Testing;

namespace Transmission.Station.Tests.Localization;

/// <summary>
/// Every code that reaches the chair with an English sentence from Core (certificate checks, definition problems) or
/// from the station's own log check has its meaning in each language, so the chair never reads English alone.
/// </summary>
public sealed class CodeTextTests
{
    public static TheoryData<string, string> Codes()
    {
        var data = new TheoryData<string, string>();
        foreach (var failure in Enum.GetValues<PkiFailure>())
        {
            data.Add(CodeText.Pki, failure.ToReasonCode());
        }

        foreach (var code in Enum.GetValues<DefinitionErrorCode>())
        {
            data.Add(CodeText.Definition, code.ToReasonCode());
        }

        foreach (var code in new[] { LogWitness.CheckpointInvalid, LogWitness.Shrank, LogWitness.Inconsistent })
        {
            data.Add(CodeText.Witness, code);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Codes))]
    public void Meaning_EveryCode_TranslatedInEachLanguage(string prefix, string code)
    {
        var english = UiCulture.Run("en", () => CodeText.Meaning(prefix, code));
        Assert.False(string.IsNullOrWhiteSpace(english), $"{prefix}{code} has no English text");
        foreach (var language in new[] { "sq", "sr-Latn" })
        {
            var text = UiCulture.Run(language, () => CodeText.Meaning(prefix, code));
            Assert.False(string.IsNullOrWhiteSpace(text), $"{prefix}{code} has no text in {language}");
            Assert.NotEqual(english, text);
        }
    }

    [Fact]
    public void Explain_English_TheSentenceAlone()
    {
        Assert.Equal("The certificate expired at 2026-01-01.", UiCulture.Run("en", () => CodeText.Explain(CodeText.Pki, "EXPIRED", "The certificate expired at 2026-01-01.")));
    }

    [Fact]
    public void Explain_Albanian_MeaningThenTheSentenceMarkedEnglish()
    {
        Assert.Equal(
            "Certifikata ka skaduar. (në anglisht: The certificate expired at 2026-01-01.)",
            UiCulture.Run("sq", () => CodeText.Explain(CodeText.Pki, "EXPIRED", "The certificate expired at 2026-01-01.")));
    }

    [Fact]
    public void Explain_SerbianUnknownCode_TheSentenceMarkedEnglish()
    {
        Assert.Equal("(na engleskom: Something new.)", UiCulture.Run("sr-Latn", () => CodeText.Explain(CodeText.Pki, "SOMETHING_NEW", "Something new.")));
    }

    [Fact]
    public void Explain_SerbianNoSentence_MeaningAlone()
    {
        Assert.Equal("Sertifikatu je istekao rok važenja.", UiCulture.Run("sr-Latn", () => CodeText.Explain(CodeText.Pki, "EXPIRED", " ")));
    }
}
