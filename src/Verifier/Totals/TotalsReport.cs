using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using Transmission.Contracts.V1;
using Transmission.Verifier.Submissions;
using Transmission.Verifier.Terminal;
using Transmission.Cli.Localization;
using Transmission.Verifier.Localization;

namespace Transmission.Verifier.Totals;

/// <summary>
/// <c>totals</c>' report of one Totals message: reporting progress, turnout, and per contest each choice's
/// provisional and certified votes with their share of the contest's votes. A share of nothing is "-", never a
/// division by zero.
/// </summary>
internal static class TotalsReport
{
    public static void Render(IAnsiConsole console, Contracts.V1.Totals totals)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(totals);
        var area = totals.Municipality.Length == 0 ? VerifierText.WholeElection : Localized.Format(VerifierText.MunicipalityArea, totals.Municipality);
        console.WriteLine(Localized.Format(VerifierText.TotalsTitle, ReviewVocabulary.Mode(totals.Mode), area, ReviewVocabulary.Time(totals.AsOf), N(totals.EventsApplied)));
        console.WriteLine(Localized.Format(
            VerifierText.TotalsStations,
            N(totals.StationsRegistered),
            N(totals.StationsReported),
            Percent(totals.StationsReported, totals.StationsRegistered),
            N(totals.StationsCertified),
            Percent(totals.StationsCertified, totals.StationsRegistered),
            N(totals.Pending),
            N(totals.FlaggedPending)));
        console.WriteLine(Localized.Format(
            VerifierText.TotalsTurnout,
            Percent(totals.BallotsUsedProvisional, totals.RegisteredVotersReported),
            N(totals.BallotsUsedProvisional),
            N(totals.RegisteredVotersReported),
            Percent(totals.BallotsUsedCertified, totals.RegisteredVotersCertified),
            N(totals.BallotsUsedCertified),
            N(totals.RegisteredVotersCertified),
            N(totals.RegisteredVoters)));

        foreach (var contest in totals.Contests)
        {
            console.WriteLine(Localized.Format(VerifierText.ShowContest, contest.ContestId));
            var provisionalSum = Sum(contest.Provisional);
            var certifiedSum = Sum(contest.Certified);
            var certified = contest.Certified.ToDictionary(c => c.ChoiceId, c => c.Votes, StringComparer.Ordinal);
            var table = console.NewTable(VerifierText.ColChoice, VerifierText.ColProvisional, "%", VerifierText.ColCertified, "%");
            foreach (var column in table.Columns.Skip(1))
            {
                column.RightAligned();
            }

            // Both lists hold every choice in ballot order; a choice only in the certified list still gets a row.
            var order = contest.Provisional.Select(c => c.ChoiceId)
                .Concat(contest.Certified.Select(c => c.ChoiceId))
                .Distinct(StringComparer.Ordinal);
            var provisional = contest.Provisional.ToDictionary(c => c.ChoiceId, c => c.Votes, StringComparer.Ordinal);
            foreach (var choice in order)
            {
                var p = provisional.GetValueOrDefault(choice);
                var c = certified.GetValueOrDefault(choice);
                Row(table, choice, N(p), Percent(p, provisionalSum), N(c), Percent(c, certifiedSum));
            }

            Row(table, VerifierText.Total, N(provisionalSum), Percent(provisionalSum, provisionalSum), N(certifiedSum), Percent(certifiedSum, certifiedSum));
            console.Write(table);
        }

        if (totals.Municipalities.Count > 0)
        {
            console.WriteLine(VerifierText.ReportingByMunicipality);
            var table = console.NewTable(VerifierText.ColMunicipality, VerifierText.ColName, VerifierText.ColRegistered, VerifierText.ColReported, VerifierText.ColCertified, VerifierText.ColPending, VerifierText.ColFlagged, VerifierText.ColTurnout);
            foreach (var column in table.Columns.Skip(2))
            {
                column.RightAligned();
            }

            foreach (var m in totals.Municipalities)
            {
                Row(table, m.Code, m.Name, N(m.StationsRegistered), $"{N(m.StationsReported)} ({Percent(m.StationsReported, m.StationsRegistered)})", N(m.StationsCertified), N(m.Pending), N(m.FlaggedPending), Percent(m.BallotsUsedProvisional, m.RegisteredVotersReported));
            }

            console.Write(table);
        }
    }

    /// <summary><paramref name="part"/> of <paramref name="whole"/> as "12.35%" (two decimals, half away from zero); "-" when the whole is zero.</summary>
    public static string Percent(ulong part, ulong whole) =>
        whole == 0
            ? "-"
            : Math.Round((decimal)part * 100m / whole, 2, MidpointRounding.AwayFromZero).ToString("0.00", CultureInfo.CurrentCulture) + "%";

    private static ulong Sum(IEnumerable<ChoiceTotal> choices) => choices.Aggregate(0UL, (sum, c) => checked(sum + c.Votes));

    private static void Row(Table table, params string[] cells) => table.AddRow(cells.Select(c => (IRenderable)new Text(c)).ToArray());

    private static string N(ulong value) => value.ToString(CultureInfo.CurrentCulture);
}
