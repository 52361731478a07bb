namespace Transmission.Central.Exports;

/// <summary>What an export contains (docs/exports.md).</summary>
public enum ExportKind
{
    /// <summary>Per station, exported revision, contest and choice: the form's counts and where it is in review.</summary>
    Stations,

    /// <summary>Per area (overall, then each municipality), contest and choice: provisional and certified votes.</summary>
    Totals,
}
