using Transmission.Cli.Localization;
using Transmission.Core.Election;
using Transmission.Core.Protocol;
using Transmission.Station.Localization;

namespace Transmission.Station.Protocol;

/// <summary>One problem found in the chair's protocol file, in plain words with a stable code.</summary>
/// <param name="Code">The reason code (a <see cref="ProtocolRules"/> or <see cref="TemplateErrorCodes"/> code, or <see cref="ProtocolCheck.StationMismatch"/>).</param>
/// <param name="Severity">Reject (cannot be signed) or Flag (can be signed only with an explanation).</param>
/// <param name="Message">The sentence for the chair, in the chosen language.</param>
internal sealed record ProtocolProblem(string Code, ViolationSeverity Severity, string Message)
{
    /// <summary>One line for the chair: what kind of problem, the sentence, and the code in brackets.</summary>
    public string ToLine() => Localized.Format(Severity == ViolationSeverity.Reject ? StationText.ProblemMustFix : StationText.ProblemCountingRule, Message, Code);
}

/// <summary>
/// Reads a filled template (<see cref="ProtocolTemplate.Parse"/>) and validates it (<see cref="ProtocolValidator"/>)
/// for this station, collecting every problem. Invariant: <see cref="Protocol"/> is null only when the file could not
/// be read, and then <see cref="Problems"/> holds at least one Reject.
/// </summary>
internal sealed class ProtocolCheck
{
    /// <summary><c>STATION_MISMATCH</c> (Reject): the protocol names another station than this folder's.</summary>
    public const string StationMismatch = "STATION_MISMATCH";

    private ProtocolCheck(ResultProtocol? protocol, IReadOnlyList<ProtocolProblem> problems)
    {
        Protocol = protocol;
        Problems = problems;
    }

    /// <summary>The protocol as read (and amended), when the file could be read.</summary>
    public ResultProtocol? Protocol { get; }

    /// <summary>Every problem, file problems first, then the rules in check order.</summary>
    public IReadOnlyList<ProtocolProblem> Problems { get; }

    /// <summary>Whether anything makes the protocol impossible to sign.</summary>
    public bool HasRejections => Problems.Any(p => p.Severity == ViolationSeverity.Reject);

    /// <summary>Whether a counting rule is broken (signable only with an explanation).</summary>
    public bool HasFlags => Problems.Any(p => p.Severity == ViolationSeverity.Flag);

    /// <summary>
    /// Reads <paramref name="json"/>, applies <paramref name="amend"/> (the sign command's explanation, correction
    /// reason and attachment digests), and validates the result against <paramref name="definition"/> for
    /// <paramref name="stationCode"/>.
    /// </summary>
    public static ProtocolCheck Run(ReadOnlySpan<byte> json, ElectionDefinition definition, string stationCode, Func<ResultProtocol, ResultProtocol>? amend = null)
    {
        var parsed = ProtocolTemplate.Parse(json, definition);
        if (!parsed.IsSuccess)
        {
            return new ProtocolCheck(
                null,
                parsed.Errors.Select(e => new ProtocolProblem(e.ReasonCode, ViolationSeverity.Reject, Localized.Format(StationText.ProblemAt, ViolationText.For(e), e.Path))).ToArray());
        }

        var protocol = amend is null ? parsed.Draft : amend(parsed.Draft);
        var problems = new List<ProtocolProblem>();
        if (!string.Equals(protocol.StationCode, stationCode, StringComparison.Ordinal))
        {
            problems.Add(new ProtocolProblem(
                StationMismatch,
                ViolationSeverity.Reject,
                Localized.Format(StationText.StationMismatch, protocol.StationCode, stationCode)));
        }

        var report = ProtocolValidator.Validate(protocol, definition);
        problems.AddRange(report.Violations.Select(v => new ProtocolProblem(v.Code, v.Severity, ViolationText.For(v, definition, protocol.StationCode ?? stationCode))));
        return new ProtocolCheck(protocol, problems);
    }
}
