using System.Globalization;

namespace Transmission.Testing;

/// <summary>Sets the current culture and UI culture (the language of resources and of number formats) for a block, and puts them back.</summary>
public sealed class UiCulture : IDisposable
{
    private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
    private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;

    /// <summary>Switches to the culture named <paramref name="name"/> (e.g. <c>sq</c>, <c>sr-Latn</c>, <c>en</c>).</summary>
    public UiCulture(string name)
    {
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(name);
    }

    /// <summary>What <paramref name="action"/> returns when run in the culture named <paramref name="name"/>.</summary>
    public static T Run<T>(string name, Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        using var culture = new UiCulture(name);
        return action();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _uiCulture;
    }
}
