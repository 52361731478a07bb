using System.CommandLine;
using System.Globalization;

namespace Transmission.Cli.Localization;

/// <summary>
/// The language of a command line: <c>--lang sq|sr-Latn|en</c>, else the POSIX locale (<c>LC_ALL</c>, then
/// <c>LC_MESSAGES</c>, then <c>LANG</c>, e.g. <c>sq_AL.UTF-8</c> or <c>sr_RS.UTF-8@latin</c>), else English.
/// Only the human text changes; reason codes, exit codes and logs do not.
/// </summary>
public static class CliLanguage
{
    /// <summary>The name of the global option.</summary>
    public const string OptionName = "--lang";

    /// <summary>
    /// English, the neutral language of the resources (the fallback); the invariant culture when .NET runs without
    /// culture data (globalization-invariant mode knows no other culture, and English text needs none).
    /// </summary>
    public static CultureInfo English { get; } = EnglishOrInvariant();

    /// <summary>The languages the resources are written in: <c>sq</c>, <c>sr-Latn</c> and <c>en</c>.</summary>
    public static IReadOnlyList<string> Supported { get; } = ["sq", "sr-Latn", "en"];

    /// <summary>
    /// The global <c>--lang</c> option (recursive: valid after any subcommand). An unknown value is a usage error
    /// naming the supported languages.
    /// </summary>
    public static Option<string?> CreateOption()
    {
        var option = new Option<string?>(OptionName)
        {
            Description = CliText.LangOption,
            Recursive = true,
            HelpName = "sq|sr-Latn|en",
        };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string?>();
            if (value is not null && FromName(value) is null)
            {
                result.AddError(string.Format(CultureInfo.CurrentCulture, CliText.LangUnknown, value));
            }
        });
        return option;
    }

    /// <summary>Whether <paramref name="culture"/> is English (the neutral resources).</summary>
    public static bool IsEnglish(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        return culture.TwoLetterISOLanguageName == "en" || culture.Equals(CultureInfo.InvariantCulture);
    }

    /// <summary>The supported culture named exactly (ignoring case) <paramref name="name"/>, or <see langword="null"/>.</summary>
    public static CultureInfo? FromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var match = Supported.FirstOrDefault(s => string.Equals(s, name, StringComparison.OrdinalIgnoreCase));
        return match is null ? null : Culture(match);
    }

    /// <summary>
    /// The language of a POSIX locale such as <c>sq_AL.UTF-8</c>, <c>sr_RS.UTF-8@latin</c>, <c>sr_RS@latin</c>,
    /// <c>en_US.UTF-8</c>. Serbian maps to Latin script (the only Serbian written here); anything else, <c>C</c>,
    /// <c>POSIX</c> or nothing is English.
    /// </summary>
    public static CultureInfo FromLocale(string? locale)
    {
        if (string.IsNullOrWhiteSpace(locale))
        {
            return English;
        }

        var language = locale.Split('_', '.', '@', '-')[0];
        return language.ToUpperInvariant() switch
        {
            "SQ" => Culture("sq"),
            "SR" => Culture("sr-Latn"),
            _ => English,
        };
    }

    /// <summary>The locale in effect by POSIX precedence: the first non-empty of <c>LC_ALL</c>, <c>LC_MESSAGES</c>, <c>LANG</c>.</summary>
    public static CultureInfo FromEnvironment(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var locale = new[] { "LC_ALL", "LC_MESSAGES", "LANG" }.Select(environment).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
        return FromLocale(locale);
    }

    /// <summary>
    /// The language for raw arguments before they are parsed (so help text and parse errors are already in it):
    /// the last <c>--lang X</c> or <c>--lang=X</c>, else the environment. An unknown <c>--lang</c> value gives the
    /// environment's language here; the parser then reports it.
    /// </summary>
    public static CultureInfo FromArguments(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? chosen = null;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--")
            {
                break;
            }

            if (args[i] == OptionName && i + 1 < args.Count)
            {
                chosen = args[i + 1];
            }
            else if (args[i].StartsWith(OptionName + "=", StringComparison.Ordinal))
            {
                chosen = args[i][(OptionName.Length + 1)..];
            }
        }

        return (chosen is null ? null : FromName(chosen)) ?? FromEnvironment(environment);
    }

    /// <summary>
    /// The language for a parsed command line: its <c>--lang</c> when given, else the environment.
    /// </summary>
    public static CultureInfo FromParseResult(ParseResult parseResult, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var option = parseResult.RootCommandResult.Command.Options.OfType<Option<string?>>().FirstOrDefault(o => o.Name == OptionName);
        var value = option is null ? null : parseResult.GetValue(option);
        return (value is null ? null : FromName(value)) ?? FromEnvironment(environment);
    }

    /// <summary>
    /// Makes <paramref name="culture"/> the current culture and UI culture of this flow of execution (it flows into
    /// awaited calls and does not leak out of the async method that sets it), after checking that the machine has
    /// its culture data: without ICU (or with <c>DOTNET_SYSTEM_GLOBALIZATION_INVARIANT</c>) .NET would silently
    /// format Albanian and Serbian numbers and dates the English way, so that is refused with one clear line.
    /// </summary>
    /// <exception cref="CommandFailureException">Culture data for a non-English language is missing (exit 2).</exception>
    public static void Apply(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        EnsureCultureData(culture);
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
    }

    /// <summary>
    /// What every command line's <c>Main</c> does first: applies the language of <paramref name="args"/>
    /// (<c>--lang</c>, else <c>LC_ALL</c> / <c>LANG</c>) before the command tree is built, so help and parse errors are
    /// in it too, System.CommandLine's own words included (<see cref="CommandLineTextBridge"/>). Returns null when
    /// applied, or the exit code after writing the one error line to standard error.
    /// </summary>
    public static int? TryApplyForProcess(IReadOnlyList<string> args)
    {
        // When the bridge cannot be applied (an upgraded library), its titles and parse errors stay in English:
        // the rest of the command line is still in the chosen language, so that is no reason to stop.
        _ = CommandLineTextBridge.TryApply();
        try
        {
            Apply(FromArguments(args, Environment.GetEnvironmentVariable));
            return null;
        }
        catch (CommandFailureException e)
        {
            Console.Error.WriteLine(CommandActions.ErrorLine(e.Message));
            return e.ExitCode;
        }
    }

    /// <summary>
    /// Throws when <paramref name="culture"/> is not English and its month names are the invariant ones, which is
    /// what .NET gives when ICU is missing or globalization is invariant.
    /// </summary>
    /// <exception cref="CommandFailureException">The culture data is missing (exit 2).</exception>
    public static void EnsureCultureData(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        if (IsEnglish(culture) || HasCultureData(culture))
        {
            return;
        }

        throw MissingCultureData(culture.Name);
    }

    private static CultureInfo EnglishOrInvariant()
    {
        try
        {
            return CultureInfo.GetCultureInfo("en");
        }
        catch (CultureNotFoundException)
        {
            return CultureInfo.InvariantCulture;
        }
    }

    /// <summary>A supported culture by name; without culture data (invariant globalization) .NET refuses to create it.</summary>
    private static CultureInfo Culture(string name)
    {
        if (name == "en")
        {
            return English;
        }

        try
        {
            return CultureInfo.GetCultureInfo(name);
        }
        catch (CultureNotFoundException)
        {
            throw MissingCultureData(name);
        }
    }

    // Deliberately in English: the language asked for is the one that cannot be shown properly.
    private static CommandFailureException MissingCultureData(string name) => new(
        ExitCodes.BadInput,
        $"culture data for '{name}' is not available on this machine (install libicu, and do not set DOTNET_SYSTEM_GLOBALIZATION_INVARIANT); use --lang en meanwhile");

    /// <summary>Whether .NET has real culture data (ICU) for <paramref name="culture"/>: its month names are not the invariant ones.</summary>
    public static bool HasCultureData(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        try
        {
            var data = CultureInfo.GetCultureInfo(culture.Name);
            return !string.Equals(data.DateTimeFormat.GetMonthName(1), CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(1), StringComparison.Ordinal);
        }
        catch (CultureNotFoundException)
        {
            return false;
        }
    }
}
