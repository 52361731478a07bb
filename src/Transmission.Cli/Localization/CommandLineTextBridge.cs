using System.CommandLine;
using System.Reflection;
using System.Resources;

namespace Transmission.Cli.Localization;

/// <summary>
/// Makes System.CommandLine's own text (help titles and labels such as <c>Usage:</c> and <c>(REQUIRED)</c>, the help
/// and version options' descriptions, its parse errors) come from our <c>Localization/CommandLineText*.resx</c>, so it
/// is in the command line's language like the rest.
/// </summary>
/// <remarks>
/// System.CommandLine 3.0.0 reads that text through its internal generated class
/// <c>System.CommandLine.Properties.Resources</c>, whose lazily created, private static field
/// <c>s_resourceManager</c> holds the <see cref="ResourceManager"/> every lookup goes through (with the current UI
/// culture). The library ships satellite assemblies for cs, de, es, fr, it, ja, ko, pl, pt-BR, ru, tr, zh-Hans and
/// zh-Hant but none for sq or sr-Latn, and has no public hook to supply text, so the field is set by reflection to a
/// <see cref="ResourceManager"/> over our resources, which have exactly the library's keys (the English file has its
/// English values word for word). The field belongs to a Microsoft-internal type: a test fails if an upgrade renames
/// it, drops a key or adds one; at run time a missing field only means the library's English stays.
/// </remarks>
public static class CommandLineTextBridge
{
    /// <summary>The library's internal class that holds its resource manager.</summary>
    public const string LibraryResourcesTypeName = "System.CommandLine.Properties.Resources";

    /// <summary>The base name of the library's own resources (its neutral English and its satellites).</summary>
    public const string LibraryResourcesBaseName = "System.CommandLine.Properties.Resources";

    /// <summary>The private static field of <see cref="LibraryResourcesTypeName"/> that holds the resource manager.</summary>
    public const string ResourceManagerFieldName = "s_resourceManager";

    /// <summary>Our text for System.CommandLine: English (neutral, in this assembly), sq and sr-Latn (satellites).</summary>
    public static ResourceManager Text { get; } = new("Transmission.Cli.Localization.CommandLineText", typeof(CommandLineTextBridge).Assembly);

    /// <summary>The assembly System.CommandLine is loaded from.</summary>
    public static Assembly LibraryAssembly => typeof(RootCommand).Assembly;

    /// <summary>
    /// The library's static resource manager field, or <see langword="null"/> when this version of System.CommandLine
    /// has no such field of type <see cref="ResourceManager"/> (renamed or reworked by an upgrade).
    /// </summary>
    public static FieldInfo? FindField()
    {
        var field = LibraryAssembly.GetType(LibraryResourcesTypeName, throwOnError: false)
            ?.GetField(ResourceManagerFieldName, BindingFlags.Static | BindingFlags.NonPublic);
        return field is { IsInitOnly: false, IsLiteral: false } && field.FieldType == typeof(ResourceManager) ? field : null;
    }

    /// <summary>
    /// Points System.CommandLine at <see cref="Text"/>. Call once per process before the command tree is built (the
    /// help option's description is read when the root command is created). Returns false, leaving the library's own
    /// English, when the field is not found or cannot be set; it never throws, so the command line still runs.
    /// </summary>
    public static bool TryApply()
    {
        var field = FindField();
        if (field is null)
        {
            return false;
        }

        try
        {
            field.SetValue(null, Text);
            return ReferenceEquals(field.GetValue(null), Text);
        }
        catch (Exception e) when (e is FieldAccessException or TargetException or ArgumentException or MemberAccessException)
        {
            return false;
        }
    }
}
