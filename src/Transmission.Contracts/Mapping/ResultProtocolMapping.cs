using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Transmission.Core.Election;
using Domain = Transmission.Core.Protocol;

namespace Transmission.Contracts.Mapping;

/// <summary>
/// Maps <see cref="V1.ResultProtocol"/> to and from the domain <see cref="Domain.ResultProtocol"/>. Values the other
/// side cannot hold are refused with a reason code (never an exception, never a silent wrap): a count above
/// <see cref="Domain.ResultProtocol.MaxCount"/>, a revision above <see cref="int.MaxValue"/>, an unknown mode or an out-of-range
/// timestamp on the way in; a negative count or revision on the way out.
/// </summary>
/// <remarks>
/// The mapper checks representability only; the rules of design §5 belong to <see cref="Domain.ProtocolValidator"/>.
/// A missing <c>ballots</c> message maps to all zeros (proto3 cannot tell "absent" from "empty"), which the
/// validator then flags; a missing <c>signed_at</c> maps to <see langword="null"/>.
/// </remarks>
public static class ResultProtocolMapping
{
    /// <summary>The domain protocol of a decoded message.</summary>
    public static ProtocolMappingResult<Domain.ResultProtocol> ToDomain(this V1.ResultProtocol message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!System.Enum.IsDefined((ElectionMode)(int)message.Mode))
        {
            return Fail<Domain.ResultProtocol>(ProtocolMappingFailure.ModeUnknown, "mode", $"mode {(int)message.Mode} is not a known election mode");
        }

        if (message.Revision > int.MaxValue)
        {
            return Fail<Domain.ResultProtocol>(ProtocolMappingFailure.RevisionOutOfRange, "revision", $"revision {message.Revision} is above {int.MaxValue}");
        }

        DateTimeOffset? signedAt = null;
        if (message.SignedAt is { } timestamp)
        {
            if (!IsRepresentable(timestamp))
            {
                return Fail<Domain.ResultProtocol>(ProtocolMappingFailure.TimestampInvalid, "signed_at", $"signed_at (seconds {timestamp.Seconds}, nanos {timestamp.Nanos}) is not a valid time between years 1 and 9999");
            }

            signedAt = timestamp.ToDateTimeOffset();
        }

        var b = message.Ballots ?? new V1.BallotCounts();
        if (!TryCount(b.RegisteredVoters, "ballots.registered_voters", out var registered, out var failure)
            || !TryCount(b.Received, "ballots.received", out var received, out failure)
            || !TryCount(b.Used, "ballots.used", out var used, out failure)
            || !TryCount(b.Unused, "ballots.unused", out var unused, out failure)
            || !TryCount(b.Spoiled, "ballots.spoiled", out var spoiled, out failure)
            || !TryCount(b.Invalid, "ballots.invalid", out var invalid, out failure)
            || !TryCount(b.Valid, "ballots.valid", out var valid, out failure))
        {
            return failure;
        }

        var contests = new List<Domain.ContestResult>(message.Contests.Count);
        for (var c = 0; c < message.Contests.Count; c++)
        {
            var contest = message.Contests[c];
            var choices = new List<Domain.ChoiceVotes>(contest.Choices.Count);
            for (var i = 0; i < contest.Choices.Count; i++)
            {
                var choice = contest.Choices[i];
                if (!TryCount(choice.Votes, $"contests[{c}].choices[{i}].votes", out var votes, out failure))
                {
                    return failure;
                }

                choices.Add(new Domain.ChoiceVotes(choice.ChoiceId, votes));
            }

            contests.Add(new Domain.ContestResult(contest.ContestId, choices));
        }

        var attachments = new List<Domain.AttachmentDigest>(message.Attachments.Count);
        for (var a = 0; a < message.Attachments.Count; a++)
        {
            var attachment = message.Attachments[a];
            if (!TryCount(attachment.Size, $"attachments[{a}].size", out var size, out failure))
            {
                return failure;
            }

            attachments.Add(new Domain.AttachmentDigest(attachment.Name, attachment.MediaType, size, attachment.Sha256.ToByteArray()));
        }

        return ProtocolMappingResult<Domain.ResultProtocol>.Success(new Domain.ResultProtocol
        {
            ElectionId = message.ElectionId,
            DefinitionSha256 = message.DefinitionSha256.ToByteArray(),
            Mode = (ElectionMode)(int)message.Mode,
            StationCode = message.StationCode,
            Revision = (int)message.Revision,
            CorrectionReason = message.CorrectionReason,
            SignedAt = signedAt,
            Ballots = new Domain.BallotCounts(registered, received, used, unused, spoiled, invalid, valid),
            Contests = contests,
            Attachments = attachments,
            Explanation = message.Explanation,
        });
    }

    /// <summary>The message for a domain protocol (e.g. to serialize and sign it).</summary>
    public static ProtocolMappingResult<V1.ResultProtocol> ToContract(this Domain.ResultProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        if (!System.Enum.IsDefined(protocol.Mode))
        {
            return Fail<V1.ResultProtocol>(ProtocolMappingFailure.ModeUnknown, "mode", $"mode {(int)protocol.Mode} is not a known election mode");
        }

        if (protocol.Revision < 0)
        {
            return Fail<V1.ResultProtocol>(ProtocolMappingFailure.RevisionOutOfRange, "revision", $"revision {protocol.Revision} is negative");
        }

        var b = protocol.Ballots ?? throw new ArgumentException("The protocol has no ballot counts.", nameof(protocol));
        if (!TryUnsigned(b.RegisteredVoters, "ballots.registered_voters", out var registered, out var failure)
            || !TryUnsigned(b.Received, "ballots.received", out var received, out failure)
            || !TryUnsigned(b.Used, "ballots.used", out var used, out failure)
            || !TryUnsigned(b.Unused, "ballots.unused", out var unused, out failure)
            || !TryUnsigned(b.Spoiled, "ballots.spoiled", out var spoiled, out failure)
            || !TryUnsigned(b.Invalid, "ballots.invalid", out var invalid, out failure)
            || !TryUnsigned(b.Valid, "ballots.valid", out var valid, out failure))
        {
            return failure;
        }

        var message = new V1.ResultProtocol
        {
            ElectionId = protocol.ElectionId ?? string.Empty,
            DefinitionSha256 = ByteString.CopyFrom(protocol.DefinitionSha256.Span),
            Mode = (V1.ElectionMode)(int)protocol.Mode,
            StationCode = protocol.StationCode ?? string.Empty,
            Revision = (uint)protocol.Revision,
            CorrectionReason = protocol.CorrectionReason ?? string.Empty,
            SignedAt = protocol.SignedAt is { } signedAt ? Timestamp.FromDateTimeOffset(signedAt) : null,
            Ballots = new V1.BallotCounts
            {
                RegisteredVoters = registered,
                Received = received,
                Used = used,
                Unused = unused,
                Spoiled = spoiled,
                Invalid = invalid,
                Valid = valid,
            },
            Explanation = protocol.Explanation ?? string.Empty,
        };

        for (var c = 0; c < protocol.Contests.Count; c++)
        {
            var contest = protocol.Contests[c];
            var result = new V1.ContestResult { ContestId = contest.ContestId ?? string.Empty };
            for (var i = 0; i < contest.Choices.Count; i++)
            {
                var choice = contest.Choices[i];
                if (!TryUnsigned(choice.Votes, $"contests[{c}].choices[{i}].votes", out var votes, out failure))
                {
                    return failure;
                }

                result.Choices.Add(new V1.ChoiceVotes { ChoiceId = choice.ChoiceId ?? string.Empty, Votes = votes });
            }

            message.Contests.Add(result);
        }

        for (var a = 0; a < protocol.Attachments.Count; a++)
        {
            var attachment = protocol.Attachments[a];
            if (!TryUnsigned(attachment.Size, $"attachments[{a}].size", out var size, out failure))
            {
                return failure;
            }

            message.Attachments.Add(new V1.AttachmentDigest
            {
                Name = attachment.Name ?? string.Empty,
                MediaType = attachment.MediaType ?? string.Empty,
                Size = size,
                Sha256 = ByteString.CopyFrom(attachment.Sha256.Span),
            });
        }

        return ProtocolMappingResult<V1.ResultProtocol>.Success(message);
    }

    // google.protobuf.Timestamp: seconds within 0001-01-01..9999-12-31, nanos in [0, 1e9).
    private static bool IsRepresentable(Timestamp timestamp) =>
        timestamp.Seconds is >= -62_135_596_800L and <= 253_402_300_799L && timestamp.Nanos is >= 0 and < 1_000_000_000;

    private static bool TryCount(ulong value, string field, out long count, [NotNullWhen(false)] out ProtocolMappingResult<Domain.ResultProtocol>? failure)
    {
        if (value > Domain.ResultProtocol.MaxCount)
        {
            count = 0;
            failure = Fail<Domain.ResultProtocol>(ProtocolMappingFailure.CountTooLarge, field, $"{field} is {value}, above the largest count accepted ({Domain.ResultProtocol.MaxCount})");
            return false;
        }

        count = (long)value;
        failure = null;
        return true;
    }

    private static bool TryUnsigned(long value, string field, out ulong result, [NotNullWhen(false)] out ProtocolMappingResult<V1.ResultProtocol>? failure)
    {
        if (value < 0)
        {
            result = 0;
            failure = Fail<V1.ResultProtocol>(ProtocolMappingFailure.CountNegative, field, $"{field} is {value}; a negative count cannot be sent");
            return false;
        }

        result = (ulong)value;
        failure = null;
        return true;
    }

    private static ProtocolMappingResult<T> Fail<T>(ProtocolMappingFailure failure, string field, string detail)
        where T : class => ProtocolMappingResult<T>.Fail(failure, field, detail);
}
