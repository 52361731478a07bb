using Transmission.Core.Tabulation;

namespace Transmission.Central.Exports;

/// <summary>One area of the totals exports: its provisional and certified tallies side by side.</summary>
/// <param name="Kind"><c>overall</c> or <c>municipality</c>.</param>
/// <param name="MunicipalityCode">The municipality; <see langword="null"/> for <c>overall</c>.</param>
/// <param name="Provisional">The provisional tally.</param>
/// <param name="Certified">The certified tally.</param>
internal sealed record TotalsArea(string Kind, string? MunicipalityCode, AreaTally Provisional, AreaTally Certified);

/// <summary>The areas in export order: overall first, then the municipalities by code (ordinal).</summary>
internal static class TotalsAreas
{
    /// <summary>
    /// Pairs the provisional and certified tallies of each area. Throws when the totals were not made for the
    /// definition (other municipalities, contests or choices, or another order of contests or choices).
    /// </summary>
    public static TotalsArea[] Of(ExportData data, BallotLayout layout)
    {
        var provisional = data.Totals.Provisional;
        var certified = data.Totals.Certified;
        if (provisional is null || certified is null)
        {
            throw new ArgumentException("The totals have no provisional or no certified tallies.", nameof(data));
        }

        var provisionalMunicipalities = provisional.Municipalities.OrderBy(m => m.MunicipalityCode, StringComparer.Ordinal).ToArray();
        var certifiedMunicipalities = certified.Municipalities.OrderBy(m => m.MunicipalityCode, StringComparer.Ordinal).ToArray();
        var expectedCodes = data.Definition.Municipalities.Select(m => m.Code).Order(StringComparer.Ordinal).ToArray();
        if (!provisionalMunicipalities.Select(m => m.MunicipalityCode).SequenceEqual(expectedCodes, StringComparer.Ordinal)
            || !certifiedMunicipalities.Select(m => m.MunicipalityCode).SequenceEqual(expectedCodes, StringComparer.Ordinal))
        {
            throw new ArgumentException("The totals' municipalities are not the definition's.", nameof(data));
        }

        var areas = new TotalsArea[1 + provisionalMunicipalities.Length];
        areas[0] = Area("overall", null, provisional.Overall, certified.Overall, layout);
        for (var m = 0; m < provisionalMunicipalities.Length; m++)
        {
            areas[m + 1] = Area("municipality", provisionalMunicipalities[m].MunicipalityCode, provisionalMunicipalities[m], certifiedMunicipalities[m], layout);
        }

        return areas;
    }

    private static TotalsArea Area(string kind, string? code, AreaTally provisional, AreaTally certified, BallotLayout layout)
    {
        if (provisional.MunicipalityCode != code || certified.MunicipalityCode != code)
        {
            throw new ArgumentException($"The totals' {kind} area is for municipality '{provisional.MunicipalityCode ?? certified.MunicipalityCode}'.", nameof(provisional));
        }

        // Both come from the same registry: a difference means the two tallies are not of the same moment or election.
        if (provisional.StationsRegistered != certified.StationsRegistered || provisional.RegisteredVotersAll != certified.RegisteredVotersAll)
        {
            throw new ArgumentException($"The provisional and certified registry figures of area '{code ?? kind}' differ.", nameof(provisional));
        }

        CheckBallotOrder(provisional, layout);
        CheckBallotOrder(certified, layout);
        return new TotalsArea(kind, code, provisional, certified);
    }

    private static void CheckBallotOrder(AreaTally area, BallotLayout layout)
    {
        var ok = area.Contests.Count == layout.Contests.Count;
        for (var c = 0; ok && c < layout.Contests.Count; c++)
        {
            var contest = layout.Contests[c];
            var tally = area.Contests[c];
            ok = string.Equals(tally.ContestId, contest.Id, StringComparison.Ordinal) && tally.Choices.Count == contest.Choices.Count;
            for (var k = 0; ok && k < contest.Choices.Count; k++)
            {
                ok = string.Equals(tally.Choices[k].ChoiceId, contest.Choices[k].Id, StringComparison.Ordinal);
            }
        }

        if (!ok)
        {
            throw new ArgumentException($"The totals of area '{area.MunicipalityCode ?? "overall"}' do not list the definition's contests and choices in ballot order.", nameof(area));
        }
    }
}
