using System.Globalization;

namespace Transmission.Cli.Localization;

/// <summary>Fills a resource's format string in the current culture (numbers and dates as the chosen language writes them).</summary>
public static class Localized
{
    /// <summary><see cref="string.Format(IFormatProvider, string, object[])"/> with <see cref="CultureInfo.CurrentCulture"/>.</summary>
    public static string Format(string format, params object?[] args) => string.Format(CultureInfo.CurrentCulture, format, args);
}
