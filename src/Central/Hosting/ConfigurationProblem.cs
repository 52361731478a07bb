using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Transmission.Central.Hosting;

/// <summary>
/// Turns the configuration system's exceptions into the one line an operator needs: which file or setting, and what is
/// wrong with it (the framework's own messages name neither the JSON error nor the offending value).
/// </summary>
internal static partial class ConfigurationProblem
{
    /// <summary>One line for <paramref name="exception"/>; <paramref name="configuration"/> is null when loading failed.</summary>
    public static string Describe(Exception exception, IConfiguration? configuration)
    {
        if (exception is InvalidDataException && FileInMessage().Match(exception.Message) is { Success: true } file)
        {
            var detail = exception.GetBaseException().Message;
            return $"settings file '{file.Groups["path"].Value}' is not valid JSON: {OneLine(detail)}";
        }

        if (exception is InvalidOperationException && configuration is not null && ConversionInMessage().Match(exception.Message) is { Success: true } conversion)
        {
            var key = conversion.Groups["key"].Value;
            return $"{key} '{configuration[key]}' is not a valid {conversion.Groups["type"].Value}.";
        }

        return OneLine(exception.Message);
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    [GeneratedRegex("from file '(?<path>[^']+)'", RegexOptions.CultureInvariant)]
    private static partial Regex FileInMessage();

    [GeneratedRegex(@"at '(?<key>[^']+)' to type '(?:\w+\.)*(?<type>\w+)'", RegexOptions.CultureInvariant)]
    private static partial Regex ConversionInMessage();
}
