using System.Diagnostics.CodeAnalysis;

namespace Transmission.Core.Election;

/// <summary>
/// One contest on the ballot. Invariant: at least one choice, unique choice ids; for a preference contest
/// 1 ≤ <see cref="MaxPreferences"/> ≤ number of choices, for a single-choice contest <see cref="MaxPreferences"/> is 1.
/// </summary>
public sealed class Contest
{
    private readonly Dictionary<string, Choice> _choicesById;

    /// <summary>A contest; throws on duplicate choice ids (a bug in the caller: parsed definitions report them as errors).</summary>
    public Contest(string id, LocalizedName name, ContestKind kind, int maxPreferences, IReadOnlyList<Choice> choices)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(choices);
        Id = id;
        Name = name;
        Kind = kind;
        MaxPreferences = maxPreferences;
        Choices = choices;
        _choicesById = new Dictionary<string, Choice>(choices.Count, StringComparer.Ordinal);
        foreach (var choice in choices)
        {
            _choicesById.Add(choice.Id, choice);
        }
    }

    /// <summary>Unique within the definition.</summary>
    public string Id { get; }

    /// <summary>The contest's name.</summary>
    public LocalizedName Name { get; }

    /// <summary>How votes are counted.</summary>
    public ContestKind Kind { get; }

    /// <summary>How many choices one ballot may mark: 1 for single-choice contests.</summary>
    public int MaxPreferences { get; }

    /// <summary>The choices in ballot order.</summary>
    public IReadOnlyList<Choice> Choices { get; }

    /// <summary>The choice with this id (ordinal comparison), if any.</summary>
    public bool TryGetChoice(string id, [MaybeNullWhen(false)] out Choice choice) => _choicesById.TryGetValue(id, out choice);

    /// <summary>Whether the contest has a choice with this id.</summary>
    public bool HasChoice(string id) => _choicesById.ContainsKey(id);

    /// <inheritdoc/>
    public override string ToString() => Id;
}
