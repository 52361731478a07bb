namespace Transmission.Audit.Verification;

/// <summary>Where in the report a finding belongs; the report lists phases in this order, and within a phase in the order found.</summary>
internal enum ReportSection
{
    Files,
    Pki,
    Checkpoints,
    Entries,
    Revocations,
    Evidence,
    Published,
}

/// <summary>The findings of one verification, kept in report order. Not thread-safe: parallel work collects its own and hands them over in order.</summary>
internal sealed class Findings
{
    private readonly List<(ReportSection Section, AuditFinding Finding)> _items = [];

    public int Count => _items.Count;

    public void Add(ReportSection section, AuditFinding finding) => _items.Add((section, finding));

    public void Add(ReportSection section, string code, string message) => Add(section, new AuditFinding(code, message));

    public bool Any(string code) => _items.Exists(i => i.Finding.Code == code);

    // OrderBy is a stable sort: within a section the order found is kept.
    public IReadOnlyList<AuditFinding> InReportOrder() => [.. _items.OrderBy(i => i.Section).Select(i => i.Finding)];
}
