namespace Transmission.Central.Exports;

/// <summary>
/// The export order (docs/exports.md "Order"): stations by code (ordinal), each station's revisions ascending. The
/// writers sort, so the read model may hand them over in any order and the output is still byte-identical.
/// </summary>
internal static class StationOrder
{
    /// <summary>The stations by code (ordinal); throws for a station twice or outside the definition, or without revisions.</summary>
    public static StationExport[] Stations(ExportData data)
    {
        var stations = data.Stations.ToArray();
        foreach (var station in stations)
        {
            if (station?.Station is null || station.Revisions is null)
            {
                throw new ArgumentException("A station export, its station or its revisions is null.", nameof(data));
            }

            if (!data.Definition.TryGetStation(station.Station.Code, out _))
            {
                throw new ArgumentException($"Station {station.Station.Code} is not in election {data.Definition.ElectionId}.", nameof(data));
            }

            if (station.Revisions.Count == 0)
            {
                throw new ArgumentException($"Station {station.Station.Code} has no revision to export.", nameof(data));
            }
        }

        Array.Sort(stations, static (a, b) => string.CompareOrdinal(a.Station.Code, b.Station.Code));
        for (var i = 1; i < stations.Length; i++)
        {
            if (string.Equals(stations[i - 1].Station.Code, stations[i].Station.Code, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Station {stations[i].Station.Code} appears twice.", nameof(data));
            }
        }

        return stations;
    }

    /// <summary>
    /// The station's revisions ascending; throws for a revision twice, a protocol of another station or revision,
    /// or a log index outside <c>[0, logSize)</c>.
    /// </summary>
    public static RevisionExport[] Revisions(StationExport station, long logSize)
    {
        var revisions = station.Revisions.ToArray();
        foreach (var revision in revisions)
        {
            if (revision?.Protocol is null || revision.EnvelopeSha256Hex is null)
            {
                throw new ArgumentException($"A revision of station {station.Station.Code}, its protocol or its envelope hash is null.", nameof(station));
            }

            if (revision.Revision < 1
                || revision.Protocol.Revision != revision.Revision
                || !string.Equals(revision.Protocol.StationCode, station.Station.Code, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"Revision {revision.Revision} of station {station.Station.Code} carries the protocol of revision {revision.Protocol.Revision} of station {revision.Protocol.StationCode}.",
                    nameof(station));
            }

            if (revision.LogIndex < 0 || revision.LogIndex >= logSize)
            {
                throw new ArgumentException(
                    $"Revision {revision.Revision} of station {station.Station.Code} has log index {revision.LogIndex}, outside the {logSize} log entries the export reflects.",
                    nameof(station));
            }
        }

        Array.Sort(revisions, static (a, b) => a.Revision.CompareTo(b.Revision));
        for (var i = 1; i < revisions.Length; i++)
        {
            if (revisions[i - 1].Revision == revisions[i].Revision)
            {
                throw new ArgumentException($"Revision {revisions[i].Revision} of station {station.Station.Code} appears twice.", nameof(station));
            }
        }

        return revisions;
    }
}
