namespace Transmission.Core.Election;

/// <summary>One choice on a ballot: a party list or a candidate.</summary>
/// <param name="Id">Unique within its contest.</param>
/// <param name="Name">The name as printed on the ballot.</param>
/// <param name="Party">For a candidate, the id of the party (a choice id in the party contest); otherwise <see langword="null"/>.</param>
public sealed record Choice(string Id, LocalizedName Name, string? Party);
