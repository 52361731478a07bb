using System.Globalization;
using System.Reflection;
using Transmission.Central.Submission;
using Transmission.Contracts.Mapping;
using Transmission.Core.Envelope;
using Transmission.Core.Protocol;
using Transmission.Station.Localization;
using Transmission.Station.Outbox;
using Transmission.Testing;

namespace Transmission.Central.Tests.StationSend;

/// <summary>
/// Every reason code Central can refuse a protocol with has its meaning for the chair in the station's resources,
/// in every language: a new refusal code in Central without words for the chair fails here.
/// </summary>
public sealed class RefusalTextTests
{
    public static TheoryData<string> CentralRefusalCodes()
    {
        var data = new TheoryData<string>();
        foreach (var code in Codes())
        {
            data.Add(code);
        }

        return data;
    }

    /// <summary>Central's refusal codes: its own, the envelope's, the mapping's and the protocol rules that reject.</summary>
    private static SortedSet<string> Codes()
    {
        var codes = new SortedSet<string>(StringComparer.Ordinal);
        codes.UnionWith(typeof(SubmissionCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && !f.Name.EndsWith("EventKind", StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!));
        codes.UnionWith(Enum.GetValues<EnvelopeFailure>().Select(f => f.ToReasonCode()));
        codes.UnionWith(Enum.GetValues<ProtocolMappingFailure>().Select(f => f.ToReasonCode()));
        codes.UnionWith(ProtocolRules.All.Where(r => r.Severity == ViolationSeverity.Reject).Select(r => r.Code));
        return codes;
    }

    [Theory]
    [MemberData(nameof(CentralRefusalCodes))]
    public void Refusal_EveryCentralCode_HasTheChairsWordsInEachLanguage(string code)
    {
        foreach (var language in new[] { "en", "sq", "sr-Latn" })
        {
            var culture = CultureInfo.GetCultureInfo(language);
            var text = StationText.ResourceManager.GetString(CodeText.Refusal + code, culture);
            Assert.False(string.IsNullOrWhiteSpace(text), $"Refusal_{code} has no text in {language}");
            Assert.DoesNotContain("{", text, StringComparison.Ordinal);
        }

        var english = StationText.ResourceManager.GetString(CodeText.Refusal + code, CultureInfo.InvariantCulture);
        Assert.NotEqual(english, StationText.ResourceManager.GetString(CodeText.Refusal + code, CultureInfo.GetCultureInfo("sq")));
        Assert.NotEqual(english, StationText.ResourceManager.GetString(CodeText.Refusal + code, CultureInfo.GetCultureInfo("sr-Latn")));
    }

    [Fact]
    public void CentralRefusalCodes_CoversTheDocumentedTable()
    {
        var codes = Codes();

        // docs/protocol.md §7.3 names these; a sample from each source the set is built from.
        Assert.Superset(
            new SortedSet<string>(StringComparer.Ordinal) { "ENVELOPE_TOO_LARGE", "SIGNATURE_INVALID", "COUNT_TOO_LARGE", "STATION_UNKNOWN", "REVISION_CONFLICT", "REVISION_STALE", "ATTACHMENT_DIGEST_MISMATCH" },
            codes);
        Assert.DoesNotContain(SubmissionCodes.RejectedEventKind, codes);
        Assert.DoesNotContain(ProtocolRules.ContestSumMismatch, codes);
    }

    [Fact]
    public void RefusalText_AlbanianWithCentralsWords_MeaningThenEnglishMarked()
    {
        var text = UiCulture.Run("sq", () => FailureNote.RefusalText("SIGNATURE_INVALID", "The envelope does not verify."));

        Assert.Equal(
            "Nënshkrimi nuk përputhet me procesverbalin: ai u ndryshua pas nënshkrimit ose u nënshkrua me një çelës tjetër. (fjalët e Qendrës, në anglisht: The envelope does not verify.)",
            text);
    }

    [Fact]
    public void RefusalText_UnknownCodeInSerbian_CentralsWordsMarkedAsEnglish()
    {
        var text = UiCulture.Run("sr-Latn", () => FailureNote.RefusalText("SOMETHING_NEW", "A new reason."));

        Assert.Equal("(reči Centrale, na engleskom: A new reason.)", text);
    }

    [Fact]
    public void RefusalText_English_CentralsWordsAlone()
    {
        var text = UiCulture.Run("en", () => FailureNote.RefusalText("SIGNATURE_INVALID", "The envelope does not verify."));

        Assert.Equal("The envelope does not verify.", text);
    }
}
