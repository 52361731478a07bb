using Transmission.Core.Election;
using Transmission.Core.Protocol;
using Transmission.Core.Tests.Election;

namespace Transmission.Core.Tests.Protocol;

public sealed class ProtocolValidatorTests
{
    private readonly ElectionDefinition _definition = TestDefinitions.Definition;

    private ResultProtocol Valid => TestProtocols.Valid(_definition);

    [Fact]
    public void Validate_ValidProtocol_NoViolations()
    {
        var report = ProtocolValidator.Validate(Valid, _definition);

        Assert.True(report.IsClean, report.ToString());
        Assert.True(report.CanSign);
        Assert.False(report.HasRejections);
        Assert.False(report.HasFlags);
        Assert.Empty(report.Codes);
    }

    [Fact]
    public void Validate_ElectionIdDiffers_ElectionMismatch()
    {
        var v = Single(Valid with { ElectionId = "ks-other" }, ProtocolRules.ElectionMismatch, ViolationSeverity.Reject);

        Assert.Equal("ks-test-1", v.Expected);
        Assert.Equal("ks-other", v.Actual);
        Assert.Equal("electionId", v.Field);
    }

    [Fact]
    public void Validate_OtherDefinitionDigest_DefinitionMismatch()
    {
        var other = new byte[32];
        other[0] = 1;

        var v = Single(Valid with { DefinitionSha256 = other }, ProtocolRules.DefinitionMismatch, ViolationSeverity.Reject);

        Assert.Equal(_definition.Sha256Hex, v.Expected);
        Assert.Equal(Convert.ToHexStringLower(other), v.Actual);
        Assert.Equal(32, v.Numbers["length"]);
    }

    [Fact]
    public void Validate_DigestNot32Bytes_DefinitionMismatch()
    {
        var v = Single(Valid with { DefinitionSha256 = _definition.Sha256[..31].ToArray() }, ProtocolRules.DefinitionMismatch, ViolationSeverity.Reject);

        Assert.Equal(31, v.Numbers["length"]);
        Assert.Contains("31 bytes", v.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ElectionMode.Live)]
    [InlineData(ElectionMode.Unspecified)]
    public void Validate_ModeDiffers_ModeMismatch(ElectionMode mode)
    {
        var v = Single(Valid with { Mode = mode }, ProtocolRules.ModeMismatch, ViolationSeverity.Reject);

        Assert.Equal("test", v.Expected);
        Assert.Equal(mode.ToJsonName(), v.Actual);
    }

    [Fact]
    public void Validate_StationNotInRegistry_StationUnknown()
    {
        var report = ProtocolValidator.Validate(Valid with { StationCode = "09-0001-01" }, _definition);

        // The station's registered voters cannot be compared, so nothing else fires.
        var v = Assert.Single(report.Violations);
        Assert.Equal(ProtocolRules.StationUnknown, v.Code);
        Assert.Equal(ViolationSeverity.Reject, v.Severity);
        Assert.Equal("09-0001-01", v.Actual);
    }

    [Fact]
    public void Validate_StationCodeSpelledDifferently_StationUnknown()
    {
        Single(Valid with { StationCode = "01_0001_01" }, ProtocolRules.StationUnknown, ViolationSeverity.Reject);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Validate_RevisionBelowOne_RevisionInvalid(int revision)
    {
        var v = Single(Valid with { Revision = revision }, ProtocolRules.RevisionInvalid, ViolationSeverity.Reject);

        Assert.Equal(revision, v.Numbers["revision"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Validate_CorrectionWithoutReason_CorrectionReasonMissing(string reason)
    {
        var v = Single(Valid with { Revision = 2, CorrectionReason = reason }, ProtocolRules.CorrectionReasonMissing, ViolationSeverity.Reject);

        Assert.Equal(2, v.Numbers["revision"]);
    }

    [Fact]
    public void Validate_CorrectionWithReason_Clean()
    {
        AssertClean(Valid with { Revision = 2, CorrectionReason = "P02 and P03 were swapped on the first form." });
    }

    [Theory]
    [InlineData("ballots.registeredVoters")]
    [InlineData("ballots.received")]
    [InlineData("ballots.used")]
    [InlineData("ballots.unused")]
    [InlineData("ballots.spoiled")]
    [InlineData("ballots.invalid")]
    [InlineData("ballots.valid")]
    public void Validate_NegativeBallotCount_CountNegative(string field)
    {
        var b = Valid.Ballots;
        var ballots = field switch
        {
            "ballots.registeredVoters" => b with { RegisteredVoters = -1 },
            "ballots.received" => b with { Received = -1 },
            "ballots.used" => b with { Used = -1 },
            "ballots.unused" => b with { Unused = -1 },
            "ballots.spoiled" => b with { Spoiled = -1 },
            "ballots.invalid" => b with { Invalid = -1 },
            _ => b with { Valid = -1 },
        };

        var report = ProtocolValidator.Validate(Valid with { Ballots = ballots }, _definition);

        var v = Assert.Single(report.WithCode(ProtocolRules.CountNegative));
        Assert.Equal(ViolationSeverity.Reject, v.Severity);
        Assert.Equal(field, v.Field);
        Assert.Equal(-1, v.Numbers["value"]);
        Assert.False(report.CanSign);
    }

    [Fact]
    public void Validate_NegativeVotes_CountNegative()
    {
        var protocol = Valid.WithContest("candidates", new("P01-C01", -4), new("P01-C02", 100), new("P02-C01", 150), new("P03-C01", 40));

        var v = Single(protocol, ProtocolRules.CountNegative, ViolationSeverity.Reject);

        Assert.Equal("votes", v.Field);
        Assert.Equal("candidates", v.ContestId);
        Assert.Equal("P01-C01", v.ChoiceId);
        Assert.Equal(-4, v.Numbers["value"]);
    }

    [Fact]
    public void Validate_ContestNotInDefinition_ContestUnknown()
    {
        var protocol = Valid with { Contests = [.. Valid.Contests, new ContestResult("mayor", [new("M01", 3)])] };

        var v = Single(protocol, ProtocolRules.ContestUnknown, ViolationSeverity.Reject);

        Assert.Equal("mayor", v.ContestId);
    }

    [Fact]
    public void Validate_ContestTwice_ContestDuplicate()
    {
        var protocol = Valid with { Contests = [.. Valid.Contests, Valid.Contests[0]] };

        var v = Single(protocol, ProtocolRules.ContestDuplicate, ViolationSeverity.Reject);

        Assert.Equal("parties", v.ContestId);
    }

    [Fact]
    public void Validate_ContestLeftOut_ContestMissing()
    {
        var protocol = Valid with { Contests = [Valid.Contests[0]] };

        var v = Single(protocol, ProtocolRules.ContestMissing, ViolationSeverity.Reject);

        Assert.Equal("candidates", v.ContestId);
    }

    [Fact]
    public void Validate_ChoiceNotOnBallot_ChoiceUnknown()
    {
        var protocol = Valid.WithContest("parties", new("P01", 300), new("P02", 200), new("P03", 80), new("P09", 8));

        var v = Single(protocol, ProtocolRules.ChoiceUnknown, ViolationSeverity.Reject);

        Assert.Equal("parties", v.ContestId);
        Assert.Equal("P09", v.ChoiceId);
    }

    [Fact]
    public void Validate_ChoiceTwice_ChoiceDuplicate()
    {
        var protocol = Valid.WithContest("parties", new("P01", 300), new("P02", 100), new("P02", 100), new("P03", 88));

        var v = Single(protocol, ProtocolRules.ChoiceDuplicate, ViolationSeverity.Reject);

        Assert.Equal("P02", v.ChoiceId);
    }

    [Fact]
    public void Validate_ChoiceLeftOutWithZeroVotes_Clean()
    {
        AssertClean(Valid.WithContest("parties", new("P01", 300), new("P02", 288)));
    }

    [Theory]
    [InlineData("sha256")]
    [InlineData("size")]
    [InlineData("mediaType")]
    [InlineData("name")]
    public void Validate_BadAttachment_AttachmentInvalid(string field)
    {
        var good = Valid.Attachments[0];
        AttachmentDigest[] attachments = field switch
        {
            "sha256" => [good with { Sha256 = new byte[20] }],
            "size" => [good with { Size = 0 }],
            "mediaType" => [good with { MediaType = "image/tiff" }],
            _ => [good, good with { Name = "PROTOCOL-PAGE-1.JPG" }],
        };

        var v = Single(Valid with { Attachments = attachments }, ProtocolRules.AttachmentInvalid, ViolationSeverity.Reject);

        Assert.Equal(field, v.Field);
        Assert.Equal(field == "name" ? "PROTOCOL-PAGE-1.JPG" : "protocol-page-1.jpg", v.AttachmentName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("../etc/passwd")]
    [InlineData("scan\n.pdf")]
    [InlineData("..")]
    public void Validate_AttachmentNameUnsafe_AttachmentInvalid(string name)
    {
        var v = Single(Valid with { Attachments = [Valid.Attachments[0] with { Name = name }] }, ProtocolRules.AttachmentInvalid, ViolationSeverity.Reject);

        Assert.Equal("name", v.Field);
    }

    [Theory]
    [InlineData("image/jpeg")]
    [InlineData("image/png")]
    [InlineData("application/pdf")]
    public void Validate_AllowedMediaTypesAndNoAttachments_Clean(string mediaType)
    {
        AssertClean(Valid with { Attachments = [Valid.Attachments[0] with { MediaType = mediaType }, Valid.Attachments[0] with { Name = "page-2", MediaType = mediaType }] });
        AssertClean(Valid with { Attachments = [] });
    }

    [Fact]
    public void Validate_ValidPlusInvalidNotUsed_FlagWithNumbers()
    {
        var v = Single(Valid with { Ballots = Valid.Ballots with { Invalid = 13 } }, ProtocolRules.ValidInvalidNotUsed, ViolationSeverity.Flag);

        Assert.Equal(588, v.Numbers["valid"]);
        Assert.Equal(13, v.Numbers["invalid"]);
        Assert.Equal(601, v.Numbers["sum"]);
        Assert.Equal(600, v.Numbers["used"]);
        Assert.Equal("Valid (588) + invalid (13) = 601, but ballots used is 600.", v.Message);
    }

    [Fact]
    public void Validate_ReceivedNotBalanced_BallotsNotBalanced()
    {
        var v = Single(Valid with { Ballots = Valid.Ballots with { Received = 840 } }, ProtocolRules.BallotsNotBalanced, ViolationSeverity.Flag);

        Assert.Equal(600, v.Numbers["used"]);
        Assert.Equal(225, v.Numbers["unused"]);
        Assert.Equal(5, v.Numbers["spoiled"]);
        Assert.Equal(830, v.Numbers["sum"]);
        Assert.Equal(840, v.Numbers["received"]);
        Assert.Equal("Used (600) + unused (225) + spoiled (5) = 830, but ballots received is 840.", v.Message);
    }

    [Fact]
    public void Validate_UsedAboveRegisteredPlusAllowance_UsedExceedsRegistered()
    {
        // 812 registered + 5 allowance = 817; 818 used.
        var v = Single(WithUsed(818), ProtocolRules.UsedExceedsRegistered, ViolationSeverity.Flag);

        Assert.Equal(818, v.Numbers["used"]);
        Assert.Equal(812, v.Numbers["registered"]);
        Assert.Equal(5, v.Numbers["allowance"]);
        Assert.Equal(817, v.Numbers["limit"]);
        Assert.Equal("Ballots used (818) is more than registered voters (812) + allowance (5) = 817.", v.Message);
    }

    [Fact]
    public void Validate_UsedExactlyRegisteredPlusAllowance_Clean()
    {
        AssertClean(WithUsed(817));
    }

    [Fact]
    public void Validate_RegisteredDiffersFromRegistry_RegisteredMismatch()
    {
        var v = Single(Valid with { Ballots = Valid.Ballots with { RegisteredVoters = 821 } }, ProtocolRules.RegisteredMismatch, ViolationSeverity.Flag);

        Assert.Equal(821, v.Numbers["registeredVoters"]);
        Assert.Equal(812, v.Numbers["registry"]);
        Assert.Equal("ballots.registeredVoters", v.Field);
    }

    [Fact]
    public void Validate_PartyVotesDoNotAddUp_ContestSumMismatch()
    {
        var v = Single(Valid.WithContest("parties", new("P01", 300), new("P02", 200), new("P03", 80)), ProtocolRules.ContestSumMismatch, ViolationSeverity.Flag);

        Assert.Equal("parties", v.ContestId);
        Assert.Equal(580, v.Numbers["sum"]);
        Assert.Equal(588, v.Numbers["valid"]);
        Assert.Equal("The votes in contest 'parties' add up to 580, but valid ballots is 588.", v.Message);
    }

    [Fact]
    public void Validate_CandidateAboveValid_PreferenceOverLimit()
    {
        var v = Single(Valid.WithContest("candidates", new ChoiceVotes("P01-C01", 589)), ProtocolRules.PreferenceOverLimit, ViolationSeverity.Flag);

        Assert.Equal("candidates", v.ContestId);
        Assert.Equal("P01-C01", v.ChoiceId);
        Assert.Equal(589, v.Numbers["votes"]);
        Assert.Equal(588, v.Numbers["valid"]);
    }

    [Fact]
    public void Validate_PreferencesAboveValidTimesMax_PreferenceOverLimit()
    {
        // 588 valid × 2 preferences = 1176.
        var v = Single(Valid.WithContest("candidates", new("P01-C01", 588), new("P01-C02", 588), new("P02-C01", 1)), ProtocolRules.PreferenceOverLimit, ViolationSeverity.Flag);

        Assert.Null(v.ChoiceId);
        Assert.Equal(1177, v.Numbers["sum"]);
        Assert.Equal(2, v.Numbers["maxPreferences"]);
        Assert.Equal(1176, v.Numbers["limit"]);
    }

    [Fact]
    public void Validate_PreferencesExactlyAtLimits_Clean()
    {
        AssertClean(Valid.WithContest("candidates", new("P01-C01", 588), new("P01-C02", 588), new("P02-C01", 0)));
    }

    [Fact]
    public void Validate_FlagsWithoutExplanation_CannotSign_WithExplanation_CanSign()
    {
        var flagged = Valid with { Ballots = Valid.Ballots with { Received = 840 } };

        Assert.False(ProtocolValidator.Validate(flagged, _definition).CanSign);
        var explained = ProtocolValidator.Validate(flagged with { Explanation = "Ten ballots were returned to the CEC unopened." }, _definition);
        Assert.True(explained.CanSign);
        Assert.Equal([ProtocolRules.BallotsNotBalanced], explained.FlagCodes);
    }

    [Fact]
    public void Validate_RejectionWithExplanation_StillCannotSign()
    {
        var report = ProtocolValidator.Validate(Valid with { Revision = 0, Explanation = "I meant it." }, _definition);

        Assert.False(report.CanSign);
    }

    [Fact]
    public void Validate_ManyProblems_ReportsEveryViolation()
    {
        var protocol = Valid with
        {
            ElectionId = "x",
            Mode = ElectionMode.Live,
            Revision = 0,
            Ballots = Valid.Ballots with { Received = 840, Valid = 590 },
            Contests = [Valid.Contests[0]],
        };

        var report = ProtocolValidator.Validate(protocol, _definition);

        Assert.Equal(
            [ProtocolRules.ElectionMismatch, ProtocolRules.ModeMismatch, ProtocolRules.RevisionInvalid, ProtocolRules.ContestMissing,
             ProtocolRules.ValidInvalidNotUsed, ProtocolRules.BallotsNotBalanced, ProtocolRules.ContestSumMismatch],
            report.Violations.Select(v => v.Code));
        Assert.All(report.Violations, v => Assert.Equal(ProtocolRules.SeverityOf(v.Code), v.Severity));
    }

    [Fact]
    public void Validate_CountsNearLongMax_ComparedWithoutOverflow()
    {
        var huge = Valid with { Ballots = Valid.Ballots with { Valid = long.MaxValue, Invalid = long.MaxValue } };

        var report = ProtocolValidator.Validate(huge, _definition);

        var v = Assert.Single(report.WithCode(ProtocolRules.ValidInvalidNotUsed));
        Assert.Equal((Int128)long.MaxValue * 2, v.Numbers["sum"]);
    }

    [Fact]
    public void ProtocolRules_All_ExactlyTheBriefsCodesAndSeverities()
    {
        string[] rejects =
        [
            "ELECTION_MISMATCH", "DEFINITION_MISMATCH", "MODE_MISMATCH", "STATION_UNKNOWN", "CONTEST_UNKNOWN", "CONTEST_DUPLICATE",
            "CONTEST_MISSING", "CHOICE_UNKNOWN", "CHOICE_DUPLICATE", "REVISION_INVALID", "CORRECTION_REASON_MISSING", "ATTACHMENT_INVALID", "COUNT_NEGATIVE",
        ];
        string[] flags =
        [
            "VALID_INVALID_NOT_USED", "BALLOTS_NOT_BALANCED", "USED_EXCEEDS_REGISTERED", "REGISTERED_MISMATCH", "CONTEST_SUM_MISMATCH", "PREFERENCE_OVER_LIMIT",
        ];

        Assert.Equal(rejects.Order(StringComparer.Ordinal), ProtocolRules.All.Where(r => r.Severity == ViolationSeverity.Reject).Select(r => r.Code).Order(StringComparer.Ordinal));
        Assert.Equal(flags.Order(StringComparer.Ordinal), ProtocolRules.All.Where(r => r.Severity == ViolationSeverity.Flag).Select(r => r.Code).Order(StringComparer.Ordinal));
    }

    private ResultProtocol WithUsed(long used)
    {
        // Keep every other rule satisfied: valid + invalid = used, received = used + unused + spoiled, parties sum to valid.
        var valid = used - 12;
        return Valid.WithContest("parties", new("P01", valid - 288), new("P02", 200), new("P03", 88)) with
        {
            Ballots = Valid.Ballots with { Used = used, Valid = valid, Received = used + 225 + 5 },
        };
    }

    private void AssertClean(ResultProtocol protocol)
    {
        var report = ProtocolValidator.Validate(protocol, _definition);
        Assert.True(report.IsClean, report.ToString());
    }

    // Asserts that the protocol breaks exactly one rule, with this code and severity.
    private ProtocolViolation Single(ResultProtocol protocol, string code, ViolationSeverity severity)
    {
        var report = ProtocolValidator.Validate(protocol, _definition);
        var v = Assert.Single(report.Violations);
        Assert.Equal(code, v.Code);
        Assert.Equal(severity, v.Severity);
        Assert.False(string.IsNullOrWhiteSpace(v.Message));
        Assert.Equal(severity == ViolationSeverity.Reject, report.HasRejections);
        return v;
    }
}
