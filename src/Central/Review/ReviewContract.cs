using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Transmission.Contracts.Mapping;
using Transmission.Contracts.V1;
using Transmission.Core.Tabulation;
using CoreReviewState = Transmission.Core.Review.ReviewState;

namespace Transmission.Central.Review;

/// <summary>Board views to <c>transmission.v1</c> review messages (the adapter edge: no logic here).</summary>
internal static class ReviewContract
{
    public static ReviewState ToContract(CoreReviewState state) => state switch
    {
        CoreReviewState.Pending => ReviewState.Pending,
        CoreReviewState.Accepted => ReviewState.Accepted,
        CoreReviewState.Rejected => ReviewState.Rejected,
        CoreReviewState.RecountRequested => ReviewState.RecountRequested,
        _ => ReviewState.Unspecified,
    };

    public static CoreReviewState? ToState(ReviewState state) => state switch
    {
        ReviewState.Pending => CoreReviewState.Pending,
        ReviewState.Accepted => CoreReviewState.Accepted,
        ReviewState.Rejected => CoreReviewState.Rejected,
        ReviewState.RecountRequested => CoreReviewState.RecountRequested,
        _ => null,
    };

    public static Flag ToContract(FlagView flag) => new()
    {
        Code = flag.Code,
        Message = flag.Message,
        ContestId = flag.ContestId ?? string.Empty,
        ChoiceId = flag.ChoiceId ?? string.Empty,
    };

    public static SubmissionSummary Summary(StationView station)
    {
        var summary = new SubmissionSummary
        {
            StationCode = station.Station.Code,
            Municipality = station.Station.MunicipalityCode,
            PollingCentre = station.Station.PollingCentre.Default,
            Revisions = checked((uint)station.Revisions.Count),
            CertifiedRevision = checked((uint)(station.Certified?.Revision ?? 0)),
        };
        if (station.Latest is { } latest)
        {
            summary.EnvelopeSha256 = ByteString.CopyFrom(Convert.FromHexString(latest.EnvelopeSha256Hex));
            summary.Revision = checked((uint)latest.Revision);
            summary.State = ToContract(latest.State);
            summary.ReceivedAt = Timestamp.FromDateTimeOffset(latest.ReceivedAt);
            summary.Flags.Add(latest.Flags.Select(ToContract));
        }

        return summary;
    }

    public static DecisionRecord ToContract(DecisionView decision) => new()
    {
        Decision = DecisionEntries.ToContract(decision.State),
        Reason = decision.Reason,
        VerifierUri = decision.VerifierUri,
        DecidedAt = Timestamp.FromDateTimeOffset(decision.DecidedAt),
        LogIndex = checked((ulong)decision.LogIndex),
    };

    public static RevisionRecord ToContract(RevisionView revision)
    {
        var record = new RevisionRecord
        {
            Revision = checked((uint)revision.Revision),
            EnvelopeSha256 = ByteString.CopyFrom(Convert.FromHexString(revision.EnvelopeSha256Hex)),
            ReceivedAt = Timestamp.FromDateTimeOffset(revision.ReceivedAt),
            State = ToContract(revision.State),
            CorrectionReason = revision.CorrectionReason,
            LogIndex = checked((ulong)revision.LogIndex),
        };
        if (revision.Decision is { } decision)
        {
            record.Decisions.Add(ToContract(decision));
        }

        return record;
    }

    public static VerificationFacts ToContract(SubmissionFacts facts)
    {
        var contract = new VerificationFacts
        {
            PayloadType = facts.PayloadType,
            PayloadSha256 = ByteString.CopyFrom(facts.PayloadSha256),
            VerifiedCosignatures = checked((uint)facts.VerifiedCosignatures),
            RequiredCosignatures = checked((uint)facts.RequiredCosignatures),
            ReceivedAt = Timestamp.FromDateTimeOffset(facts.ReceivedAt),
            LogIndex = checked((ulong)facts.LogIndex),
            DefinitionSha256 = ByteString.CopyFrom(facts.DefinitionSha256),
        };
        if (facts.SignedAt is { } signedAt)
        {
            contract.SignedAt = Timestamp.FromDateTimeOffset(signedAt);
        }

        if (facts.Signer is { } signer)
        {
            contract.Algorithm = signer.Algorithm;
            contract.SignerCertificateSha256 = ByteString.CopyFrom(signer.CertificateSha256);
            contract.SignerSubject = signer.Subject;
            contract.SignerSerial = signer.Serial;
            contract.SignerNotBefore = Timestamp.FromDateTimeOffset(signer.NotBefore);
            contract.SignerNotAfter = Timestamp.FromDateTimeOffset(signer.NotAfter);
            contract.SignerUri = signer.Uri;
        }

        return contract;
    }

    public static AttachmentInfo ToContract(StoredAttachment attachment) => new()
    {
        Index = checked((uint)attachment.Index),
        Name = attachment.Name,
        MediaType = attachment.MediaType,
        Size = checked((ulong)attachment.Size),
        Sha256 = ByteString.CopyFrom(attachment.Sha256),
    };

    public static Totals Totals(TabulationSnapshot snapshot, IReadOnlyList<QueueCounts> queue, BoardContext board, string? municipality, DateTimeOffset asOf, long eventsApplied)
    {
        var provisional = Area(snapshot.Provisional, municipality);
        var certified = Area(snapshot.Certified, municipality);
        var counts = queue.First(q => string.Equals(q.MunicipalityCode, municipality, StringComparison.Ordinal));
        var totals = new Totals
        {
            Mode = (ElectionMode)(int)board.Mode,
            Municipality = municipality ?? string.Empty,
            StationsRegistered = checked((uint)provisional.StationsRegistered),
            StationsReported = checked((uint)provisional.StationsReported),
            StationsCertified = checked((uint)certified.StationsReported),
            RegisteredVoters = checked((ulong)provisional.RegisteredVotersAll),
            RegisteredVotersReported = checked((ulong)provisional.RegisteredVotersReported),
            RegisteredVotersCertified = checked((ulong)certified.RegisteredVotersReported),
            BallotsUsedProvisional = checked((ulong)provisional.BallotsUsed),
            BallotsUsedCertified = checked((ulong)certified.BallotsUsed),
            Pending = checked((uint)counts.Pending),
            FlaggedPending = checked((uint)counts.FlaggedPending),
            AsOf = Timestamp.FromDateTimeOffset(asOf),
            EventsApplied = checked((ulong)eventsApplied),
        };
        for (var c = 0; c < provisional.Contests.Count; c++)
        {
            var contest = new ContestTotals { ContestId = provisional.Contests[c].ContestId };
            contest.Provisional.Add(provisional.Contests[c].Choices.Select(x => new ChoiceTotal { ChoiceId = x.ChoiceId, Votes = checked((ulong)x.Votes) }));
            contest.Certified.Add(certified.Contests[c].Choices.Select(x => new ChoiceTotal { ChoiceId = x.ChoiceId, Votes = checked((ulong)x.Votes) }));
            totals.Contests.Add(contest);
        }

        if (municipality is null)
        {
            for (var m = 0; m < snapshot.Provisional.Municipalities.Count; m++)
            {
                var p = snapshot.Provisional.Municipalities[m];
                var c = snapshot.Certified.Municipalities[m];
                var q = queue.First(x => string.Equals(x.MunicipalityCode, p.MunicipalityCode, StringComparison.Ordinal));
                totals.Municipalities.Add(new MunicipalityProgress
                {
                    Code = p.MunicipalityCode ?? string.Empty,
                    Name = board.MunicipalityName(p.MunicipalityCode!),
                    StationsRegistered = checked((uint)p.StationsRegistered),
                    StationsReported = checked((uint)p.StationsReported),
                    StationsCertified = checked((uint)c.StationsReported),
                    Pending = checked((uint)q.Pending),
                    FlaggedPending = checked((uint)q.FlaggedPending),
                    RegisteredVoters = checked((ulong)p.RegisteredVotersAll),
                    RegisteredVotersReported = checked((ulong)p.RegisteredVotersReported),
                    BallotsUsedProvisional = checked((ulong)p.BallotsUsed),
                });
            }
        }

        return totals;
    }

    public static ResultProtocol? ProtocolOf(Transmission.Core.Protocol.ResultProtocol protocol)
    {
        var mapped = protocol.ToContract();
        return mapped.IsSuccess ? mapped.Value : null;
    }

    private static AreaTally Area(TallySet set, string? municipality) =>
        municipality is null ? set.Overall : set.Municipalities.First(m => string.Equals(m.MunicipalityCode, municipality, StringComparison.Ordinal));
}

/// <summary>What the contract mapping needs of the election.</summary>
/// <param name="Mode">Test or live.</param>
/// <param name="MunicipalityName">A municipality's default name by code.</param>
internal sealed record BoardContext(Transmission.Core.Election.ElectionMode Mode, Func<string, string> MunicipalityName);
