using Transmission.Central.Exports;

namespace Transmission.Central.Review;

/// <summary>Takes what an open-data export needs from the <see cref="ReviewBoard"/>, at one moment.</summary>
internal static class BoardExport
{
    /// <summary>Every reported station's latest revision and (when different) its latest accepted one, with the totals.</summary>
    public static ExportData Capture(ReviewBoard board)
    {
        ArgumentNullException.ThrowIfNull(board);
        // One snapshot: the board is a function of the log, so the same log size always gives the same export.
        var snapshot = board.Snapshot();
        var stations = snapshot.ReportedStations;
        var exported = new List<StationExport>(stations.Count);
        foreach (var station in stations)
        {
            var latest = station.Latest!;
            var certified = station.Certified;
            var revisions = new List<RevisionExport>(2);
            if (certified is not null && certified.Revision != latest.Revision)
            {
                revisions.Add(Row(certified, countedProvisional: false, countedCertified: true));
            }

            revisions.Add(Row(latest, countedProvisional: true, countedCertified: certified?.Revision == latest.Revision));
            exported.Add(new StationExport(station.Station, revisions));
        }

        return new ExportData(board.Definition, snapshot.LogSize, exported, snapshot.Totals);
    }

    private static RevisionExport Row(RevisionView revision, bool countedProvisional, bool countedCertified) => new(
        revision.Revision,
        revision.State,
        countedProvisional,
        countedCertified,
        revision.EnvelopeSha256Hex,
        revision.LogIndex,
        revision.ReceivedAt,
        revision.CountedProtocol.SignedAt,
        revision.CountedProtocol);
}
