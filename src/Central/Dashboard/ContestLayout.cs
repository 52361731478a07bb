using Transmission.Core.Election;

namespace Transmission.Central.Dashboard;

/// <summary>A run of a contest's choices shown together: a party's candidates, or every choice of a contest without parties.</summary>
/// <param name="Name">The party's name in the page's language, or <see langword="null"/> when the contest's choices have no parties.</param>
/// <param name="Choices">Indexes into the contest's choices, in ballot order.</param>
public sealed record ChoiceGroup(string? Name, IReadOnlyList<int> Choices);

/// <summary>
/// How the pages lay out a contest: candidates grouped under their party in ballot order (as on the ballot, and so
/// that 120 candidates fit on a screen as 15 short tables instead of one very long one); other contests as one list.
/// </summary>
public static class ContestLayout
{
    /// <summary>Contests with more choices than this get a chart of their leading choices only (the tables list them all).</summary>
    public const int MaxChartRows = 20;

    /// <summary>The groups of <paramref name="contest"/>: one unnamed group when none of its choices names a party.</summary>
    public static IReadOnlyList<ChoiceGroup> Groups(ElectionDefinition definition, Contest contest)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(contest);
        if (contest.Choices.All(c => c.Party is null))
        {
            return [new ChoiceGroup(null, [.. Enumerable.Range(0, contest.Choices.Count)])];
        }

        var groups = new List<(string? Party, List<int> Choices)>();
        for (var i = 0; i < contest.Choices.Count; i++)
        {
            var party = contest.Choices[i].Party;
            var at = groups.FindIndex(g => g.Party == party);
            if (at < 0)
            {
                groups.Add((party, [i]));
            }
            else
            {
                groups[at].Choices.Add(i);
            }
        }

        return [.. groups.Select(g => new ChoiceGroup(g.Party is null ? Localization.DashboardStrings.WithoutParty : PartyName(definition, g.Party), g.Choices))];
    }

    // A candidate's party is a choice id of a party contest (ElectionDefinition: "the id of the party (a choice id in the
    // party contest)"); its name comes from there, or the id itself when no contest has it.
    private static string PartyName(ElectionDefinition definition, string party)
    {
        foreach (var contest in definition.Contests)
        {
            if (contest.TryGetChoice(party, out var choice) && choice.Party is null)
            {
                return DashboardText.Name(choice.Name);
            }
        }

        return party;
    }
}
