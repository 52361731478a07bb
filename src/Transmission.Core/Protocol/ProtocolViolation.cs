namespace Transmission.Core.Protocol;

/// <summary>
/// One broken rule of a result protocol: a stable <see cref="Code"/> (see <see cref="ProtocolRules"/>), its
/// <see cref="Severity"/>, the ids and numbers involved as fields (so a UI can say it in its own words and
/// language) and an English default <see cref="Message"/> in plain words.
/// </summary>
public sealed record ProtocolViolation
{
    /// <summary>The reason code, e.g. <c>VALID_INVALID_NOT_USED</c>.</summary>
    public required string Code { get; init; }

    /// <summary><see cref="ViolationSeverity.Reject"/> or <see cref="ViolationSeverity.Flag"/> (fixed per code).</summary>
    public required ViolationSeverity Severity { get; init; }

    /// <summary>An English sentence for a tired station chair, e.g. "Valid (812) + invalid (13) = 825, but ballots used is 830."</summary>
    public required string Message { get; init; }

    /// <summary>
    /// The field concerned, when the rule is about one: a ballot count (<c>ballots.valid</c>, ...), <c>votes</c>,
    /// <c>revision</c>, <c>correctionReason</c>, <c>electionId</c>, <c>definitionSha256</c>, <c>mode</c>, <c>stationCode</c>,
    /// or for attachments <c>name</c>, <c>mediaType</c>, <c>size</c>, <c>sha256</c>.
    /// </summary>
    public string? Field { get; init; }

    /// <summary>The contest concerned, if any.</summary>
    public string? ContestId { get; init; }

    /// <summary>The choice concerned, if any.</summary>
    public string? ChoiceId { get; init; }

    /// <summary>The attachment concerned (its name), if any.</summary>
    public string? AttachmentName { get; init; }

    /// <summary>For a mismatch, what the definition says (e.g. its election id or SHA-256 hex).</summary>
    public string? Expected { get; init; }

    /// <summary>For a mismatch, what the protocol says.</summary>
    public string? Actual { get; init; }

    /// <summary>
    /// The numbers involved by name (<c>valid</c>, <c>invalid</c>, <c>used</c>, <c>sum</c>, <c>limit</c>, ...). Sums are
    /// <see cref="Int128"/> because the sum of counts up to <see cref="long.MaxValue"/> must not wrap.
    /// </summary>
    public IReadOnlyDictionary<string, Int128> Numbers { get; init; } = EmptyNumbers;

    private static IReadOnlyDictionary<string, Int128> EmptyNumbers { get; } = new Dictionary<string, Int128>();

    /// <inheritdoc/>
    public override string ToString() => $"{Code} ({Severity}): {Message}";
}

/// <summary>
/// Everything <see cref="ProtocolValidator.Validate"/> found. Invariant: <see cref="Violations"/> lists every
/// violation in check order; the report also knows whether the protocol carried an explanation.
/// </summary>
public sealed class ValidationReport
{
    internal ValidationReport(IReadOnlyList<ProtocolViolation> violations, bool hasExplanation)
    {
        Violations = violations;
        HasExplanation = hasExplanation;
    }

    /// <summary>Every violation found, in check order.</summary>
    public IReadOnlyList<ProtocolViolation> Violations { get; }

    /// <summary>Whether the protocol breaks no rule at all.</summary>
    public bool IsClean => Violations.Count == 0;

    /// <summary>Whether any violation is a <see cref="ViolationSeverity.Reject"/>.</summary>
    public bool HasRejections => Violations.Any(v => v.Severity == ViolationSeverity.Reject);

    /// <summary>Whether any violation is a <see cref="ViolationSeverity.Flag"/>.</summary>
    public bool HasFlags => Violations.Any(v => v.Severity == ViolationSeverity.Flag);

    /// <summary>Whether the protocol's <see cref="ResultProtocol.Explanation"/> was not blank.</summary>
    public bool HasExplanation { get; }

    /// <summary>
    /// Whether the station may sign (design §5): no rejection, and either no flag or a written explanation.
    /// </summary>
    public bool CanSign => !HasRejections && (!HasFlags || HasExplanation);

    /// <summary>The distinct codes of the violations in check order (what Central stores as flags).</summary>
    public IReadOnlyList<string> Codes => Violations.Select(v => v.Code).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>The distinct codes of the <see cref="ViolationSeverity.Flag"/> violations.</summary>
    public IReadOnlyList<string> FlagCodes => Violations.Where(v => v.Severity == ViolationSeverity.Flag).Select(v => v.Code).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>The violations with a code.</summary>
    public IEnumerable<ProtocolViolation> WithCode(string code) => Violations.Where(v => string.Equals(v.Code, code, StringComparison.Ordinal));

    /// <inheritdoc/>
    public override string ToString() => IsClean ? "clean" : string.Join(Environment.NewLine, Violations);
}
