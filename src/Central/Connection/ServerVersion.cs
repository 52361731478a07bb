using System.Reflection;

namespace Transmission.Central.Connection;

/// <summary>Central's version as reported to stations.</summary>
internal static class ServerVersion
{
    /// <summary>The informational version of this build.</summary>
    public static readonly string Current =
        typeof(ServerVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? "unknown";
}
