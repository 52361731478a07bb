using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Transmission.Contracts.Mapping;
using Transmission.Contracts.V1;
using Transmission.Core.Pki;
using Transmission.Core.Tabulation;
using CoreReviewState = Transmission.Core.Review.ReviewState;
using CoreSignedEnvelope = Transmission.Core.Envelope.SignedEnvelope;

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
            CorrectionReason = revision.Protocol.CorrectionReason,
            LogIndex = checked((ulong)revision.LogIndex),
        };
        if (revision.Decision is { } decision)
        {
            record.Decisions.Add(ToContract(decision));
        }

        return record;
    }

    /// <summary>What Central checked, read back from the stored envelope (it was verified before it was stored).</summary>
    public static VerificationFacts Facts(CoreSignedEnvelope envelope, RevisionView revision, int requiredCosignatures)
    {
        var facts = new VerificationFacts
        {
            PayloadType = envelope.PayloadType,
            PayloadSha256 = ByteString.CopyFrom(SHA256.HashData(envelope.Payload.Span)),
            VerifiedCosignatures = checked((uint)revision.VerifiedCosignatures),
            RequiredCosignatures = checked((uint)requiredCosignatures),
            ReceivedAt = Timestamp.FromDateTimeOffset(revision.ReceivedAt),
            LogIndex = checked((ulong)revision.LogIndex),
            DefinitionSha256 = ByteString.CopyFrom(revision.Protocol.DefinitionSha256.Span),
        };
        if (revision.Protocol.SignedAt is { } signedAt)
        {
            facts.SignedAt = Timestamp.FromDateTimeOffset(signedAt);
        }

        if (envelope.Signatures.Count > 0)
        {
            var chair = envelope.Signatures[0];
            facts.Algorithm = chair.Algorithm;
            facts.SignerCertificateSha256 = ByteString.CopyFrom(SHA256.HashData(chair.CertificateDer.Span));
            using var certificate = X509CertificateLoader.LoadCertificate(chair.CertificateDer.Span);
            facts.SignerSubject = certificate.Subject;
            facts.SignerSerial = certificate.SerialNumber.ToLowerInvariant();
            facts.SignerNotBefore = Timestamp.FromDateTimeOffset(new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero));
            facts.SignerNotAfter = Timestamp.FromDateTimeOffset(new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero));
            facts.SignerUri = CallerIdentity.FromCertificate(certificate).Value?.Uri ?? string.Empty;
        }

        return facts;
    }

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

    public static ResultProtocol? ProtocolOf(RevisionView revision)
    {
        var mapped = revision.Protocol.ToContract();
        return mapped.IsSuccess ? mapped.Value : null;
    }

    private static AreaTally Area(TallySet set, string? municipality) =>
        municipality is null ? set.Overall : set.Municipalities.First(m => string.Equals(m.MunicipalityCode, municipality, StringComparison.Ordinal));
}

/// <summary>What the contract mapping needs of the election.</summary>
/// <param name="Mode">Test or live.</param>
/// <param name="MunicipalityName">A municipality's default name by code.</param>
internal sealed record BoardContext(Transmission.Core.Election.ElectionMode Mode, Func<string, string> MunicipalityName);
