namespace Transmission.Core.Election;

/// <summary>How votes in a contest are counted.</summary>
public enum ContestKind
{
    /// <summary><c>"single-choice"</c>: each valid ballot gives one vote to one choice, so the votes add up to the valid ballots.</summary>
    SingleChoice,

    /// <summary><c>"preference"</c>: each valid ballot may mark up to <see cref="Contest.MaxPreferences"/> choices (open-list candidates).</summary>
    Preference,
}

/// <summary>The JSON spelling of <see cref="ContestKind"/>.</summary>
public static class ContestKindNames
{
    /// <summary><c>"single-choice"</c> or <c>"preference"</c>.</summary>
    public static string ToJsonName(this ContestKind kind) => kind switch
    {
        ContestKind.SingleChoice => "single-choice",
        ContestKind.Preference => "preference",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Reads <c>"single-choice"</c> or <c>"preference"</c> (case-sensitive).</summary>
    public static bool TryParse(string? name, out ContestKind kind)
    {
        switch (name)
        {
            case "single-choice":
                kind = ContestKind.SingleChoice;
                return true;
            case "preference":
                kind = ContestKind.Preference;
                return true;
            default:
                kind = default;
                return false;
        }
    }
}
