using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using Transmission.Contracts.V1;
using Transmission.Verifier.Submissions;
using Transmission.Verifier.Terminal;

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
        var area = totals.Municipality.Length == 0 ? "the whole election" : "municipality " + totals.Municipality;
        console.WriteLine($"{ReviewVocabulary.Mode(totals.Mode)}: totals for {area} as of {ReviewVocabulary.Time(totals.AsOf)} ({N(totals.EventsApplied)} submissions and decisions applied)");
        console.WriteLine(
            $"stations: {N(totals.StationsRegistered)} registered, {N(totals.StationsReported)} reported ({Percent(totals.StationsReported, totals.StationsRegistered)}), " +
            $"{N(totals.StationsCertified)} certified ({Percent(totals.StationsCertified, totals.StationsRegistered)}); " +
            $"{N(totals.Pending)} pending review ({N(totals.FlaggedPending)} flagged)");
        console.WriteLine(
            $"turnout: provisional {Percent(totals.BallotsUsedProvisional, totals.RegisteredVotersReported)} ({N(totals.BallotsUsedProvisional)} ballots used of {N(totals.RegisteredVotersReported)} registered in reported stations); " +
            $"certified {Percent(totals.BallotsUsedCertified, totals.RegisteredVotersCertified)} ({N(totals.BallotsUsedCertified)} of {N(totals.RegisteredVotersCertified)} in certified stations); " +
            $"{N(totals.RegisteredVoters)} registered voters in all");

        foreach (var contest in totals.Contests)
        {
            console.WriteLine($"contest {contest.ContestId}");
            var provisionalSum = Sum(contest.Provisional);
            var certifiedSum = Sum(contest.Certified);
            var certified = contest.Certified.ToDictionary(c => c.ChoiceId, c => c.Votes, StringComparer.Ordinal);
            var table = console.NewTable("choice", "provisional", "%", "certified", "%");
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

            Row(table, "total", N(provisionalSum), provisionalSum == 0 ? "-" : "100.00%", N(certifiedSum), certifiedSum == 0 ? "-" : "100.00%");
            console.Write(table);
        }

        if (totals.Municipalities.Count > 0)
        {
            console.WriteLine("reporting by municipality");
            var table = console.NewTable("municipality", "name", "registered", "reported", "certified", "pending", "flagged", "turnout");
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
            : Math.Round((decimal)part * 100m / whole, 2, MidpointRounding.AwayFromZero).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    private static ulong Sum(IEnumerable<ChoiceTotal> choices) => choices.Aggregate(0UL, (sum, c) => checked(sum + c.Votes));

    private static void Row(Table table, params string[] cells) => table.AddRow(cells.Select(c => (IRenderable)new Text(c)).ToArray());

    private static string N(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
