namespace Transmission.Core.Election;

/// <summary>A municipality of the registry.</summary>
/// <param name="Code">Unique in the definition.</param>
/// <param name="Name">The name, possibly per language.</param>
public sealed record Municipality(string Code, LocalizedName Name);
