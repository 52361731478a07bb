using Transmission.Core.Election;
using Transmission.Core.Protocol;
using static Transmission.Core.Anomalies.AnomalyText;

namespace Transmission.Core.Anomalies;

/// <summary>
/// The anomaly flags that depend on one submission alone (turnout against the registry, a correction after
/// acceptance, the signing time, co-signatures), for central verifiers. The flags that compare a station with its
/// municipality are <see cref="MunicipalityOutliers"/>.
/// </summary>
/// <remarks>
/// Pure: the caller supplies what it knows about the submission (verified co-signatures, whether an earlier
/// revision was accepted). The flags are in the order of <see cref="AnomalyCodes.All"/>, each at most once:
/// <list type="table">
/// <item><term><c>TURNOUT_ABOVE_THRESHOLD</c></term><description>turnout, threshold, used, registered.</description></item>
/// <item><term><c>TURNOUT_ABOVE_100</c></term><description>used, registered, and turnout unless the registry lists 0 voters.</description></item>
/// <item><term><c>CORRECTED_AFTER_ACCEPTANCE</c></term><description>revision.</description></item>
/// <item><term><c>SIGNED_OUTSIDE_WINDOW</c></term><description>opensAt, closesAt, and signedAt when the protocol has one.</description></item>
/// <item><term><c>TOO_FEW_COSIGNATURES</c></term><description>cosignatures, required.</description></item>
/// </list>
/// </remarks>
public static class StationAnomalies
{
    /// <summary>The flags of one submission, in the order of <see cref="AnomalyCodes.All"/>; empty when nothing stands out.</summary>
    /// <param name="definition">The election definition (its night window).</param>
    /// <param name="options">Valid options (<see cref="AnomalyOptions.Validate"/> returns <see langword="null"/>).</param>
    /// <param name="station">The registry's entry for the protocol's station: its registered voters are authoritative, not the form's.</param>
    /// <param name="protocol">The submitted protocol.</param>
    /// <param name="verifiedCosignatures">How many committee co-signatures of this protocol were verified (0 or more).</param>
    /// <param name="earlierRevisionAccepted">Whether a verifier had accepted an earlier revision of this station when this one arrived.</param>
    public static IReadOnlyList<AnomalyFlag> Assess(
        ElectionDefinition definition,
        AnomalyOptions options,
        StationEntry station,
        ResultProtocol protocol,
        int verifiedCosignatures,
        bool earlierRevisionAccepted)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(station);
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(protocol.Ballots);
        ArgumentOutOfRangeException.ThrowIfNegative(verifiedCosignatures);
        if (options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        // Turnout against another station's registry entry would be a quiet wrong answer: refuse the caller's bug.
        if (!string.Equals(station.Code, protocol.StationCode, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The station '{station.Code}' is not the protocol's station '{protocol.StationCode}'.", nameof(station));
        }

        var flags = new List<AnomalyFlag>();
        AddTurnout(options, station.RegisteredVoters, protocol.Ballots.Used, flags);
        AddCorrection(protocol, earlierRevisionAccepted, flags);
        AddSigning(definition.NightWindow, protocol.SignedAt, flags);
        AddCosignatures(options.RequiredCosignatures, verifiedCosignatures, flags);
        return flags;
    }

    private static void AddTurnout(AnomalyOptions options, long registered, long used, List<AnomalyFlag> flags)
    {
        // Compared as integers, so "above 100 %" never depends on rounding; at most one of the two turnout flags.
        if (used > registered)
        {
            if (registered <= 0)
            {
                flags.Add(new AnomalyFlag
                {
                    Code = AnomalyCodes.TurnoutAbove100,
                    Message = $"Ballots used ({Count(used)}) exceed the {Count(registered)} registered voters: the registry lists no voters for this station.",
                    Numbers = Numbers(("used", used), ("registered", registered)),
                });
                return;
            }

            var over = (double)used / registered;
            flags.Add(new AnomalyFlag
            {
                Code = AnomalyCodes.TurnoutAbove100,
                Message = $"Ballots used ({Count(used)}) exceed the {Count(registered)} registered voters: turnout {Percent(over)} %.",
                Numbers = Numbers(("turnout", over), ("used", used), ("registered", registered)),
            });
            return;
        }

        if (registered <= 0)
        {
            return;
        }

        // IEEE division is correctly rounded, so 900 / 1,000 is exactly the double 0.9 and is not above a 0.9 threshold.
        var turnout = (double)used / registered;
        if (turnout > options.TurnoutThreshold)
        {
            flags.Add(new AnomalyFlag
            {
                Code = AnomalyCodes.TurnoutAboveThreshold,
                Message = $"Turnout {Percent(turnout)} % ({Count(used)} ballots used of {Count(registered)} registered voters) is above the {ThresholdPercent(options.TurnoutThreshold)} % threshold.",
                Numbers = Numbers(("turnout", turnout), ("threshold", options.TurnoutThreshold), ("used", used), ("registered", registered)),
            });
        }
    }

    private static void AddCorrection(ResultProtocol protocol, bool earlierRevisionAccepted, List<AnomalyFlag> flags)
    {
        if (protocol.Revision <= 1 || !earlierRevisionAccepted)
        {
            return;
        }

        // The caller only says that some earlier revision was accepted; for revision 2 that can only be revision 1.
        var corrects = protocol.Revision == 2
            ? "corrects revision 1, which a verifier had already accepted"
            : "corrects an earlier revision that a verifier had already accepted";
        var reason = string.IsNullOrWhiteSpace(protocol.CorrectionReason)
            ? "the correction gives no reason"
            : $"review the correction reason: \"{DefinitionParser.Printable(protocol.CorrectionReason.Trim())}\"";
        flags.Add(new AnomalyFlag
        {
            Code = AnomalyCodes.CorrectedAfterAcceptance,
            Message = $"Revision {Count(protocol.Revision)} {corrects}: {reason}.",
            Numbers = Numbers(("revision", protocol.Revision)),
        });
    }

    private static void AddSigning(NightWindow window, DateTimeOffset? signedAt, List<AnomalyFlag> flags)
    {
        var opensAt = window.OpensAt.ToUnixTimeMilliseconds();
        var closesAt = window.ClosesAt.ToUnixTimeMilliseconds();
        if (signedAt is not { } signed)
        {
            flags.Add(new AnomalyFlag
            {
                Code = AnomalyCodes.SignedOutsideWindow,
                Message = "The protocol carries no signing time.",
                Numbers = Numbers(("opensAt", opensAt), ("closesAt", closesAt)),
            });
            return;
        }

        if (!window.Contains(signed))
        {
            flags.Add(new AnomalyFlag
            {
                Code = AnomalyCodes.SignedOutsideWindow,
                Message = $"Signed at {UtcTime(signed)} UTC, outside the election night window {UtcTime(window.OpensAt)} – {UtcTime(window.ClosesAt)} UTC.",
                Numbers = Numbers(("signedAt", signed.ToUnixTimeMilliseconds()), ("opensAt", opensAt), ("closesAt", closesAt)),
            });
        }
    }

    private static void AddCosignatures(int required, int verified, List<AnomalyFlag> flags)
    {
        if (verified < required)
        {
            var noun = verified == 1 ? "co-signature" : "co-signatures";
            flags.Add(new AnomalyFlag
            {
                Code = AnomalyCodes.TooFewCosignatures,
                Message = $"{Count(verified)} committee {noun} verified; this election requires {Count(required)}.",
                Numbers = Numbers(("cosignatures", verified), ("required", required)),
            });
        }
    }
}
