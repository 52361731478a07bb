using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Transmission.Core.Election;

/// <summary>
/// A name that is either one plain text (<c>"Prizren"</c>) or one text per language
/// (<c>{"sq": "Prishtinë", "sr-Latn": "Priština"}</c>). All texts are kept, in file order.
/// </summary>
/// <remarks>
/// Invariant: at least one non-empty text; language keys are unique ignoring case.
/// Lookup falls back from the exact culture to its parents (<c>sr-Latn-RS</c> → <c>sr-Latn</c> → <c>sr</c>),
/// then to <c>en</c>, then to the first text in the file, so a name is never missing on screen.
/// </remarks>
public sealed class LocalizedName
{
    private readonly KeyValuePair<string, string>[] _texts;

    private LocalizedName(string? plain, KeyValuePair<string, string>[] texts)
    {
        Plain = plain;
        _texts = texts;
    }

    /// <summary>The text when the name was given as a plain string; otherwise <see langword="null"/>.</summary>
    public string? Plain { get; }

    /// <summary>Whether the name was a plain string rather than a per-language object.</summary>
    public bool IsPlain => Plain is not null;

    /// <summary>The per-language texts in file order (empty for a plain name).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Texts => _texts;

    /// <summary>The text shown when no culture is asked for: the plain text, else <c>en</c>, else the first text.</summary>
    public string Default => Get((string?)null);

    /// <summary>A plain, single-language name.</summary>
    public static LocalizedName FromPlain(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        return new LocalizedName(text, []);
    }

    /// <summary>A per-language name; throws for an empty list, empty texts or duplicate language keys (a bug in the caller).</summary>
    public static LocalizedName FromTexts(IEnumerable<KeyValuePair<string, string>> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var array = texts.ToArray();
        if (array.Length == 0)
        {
            throw new ArgumentException("A localized name needs at least one text.", nameof(texts));
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (language, text) in array)
        {
            ArgumentException.ThrowIfNullOrEmpty(language, nameof(texts));
            ArgumentException.ThrowIfNullOrEmpty(text, nameof(texts));
            if (!seen.Add(language))
            {
                throw new ArgumentException($"Language '{language}' appears twice.", nameof(texts));
            }
        }

        return new LocalizedName(null, array);
    }

    /// <summary>The text for a culture name such as <c>sr-Latn-RS</c>, with the fallback described on the type.</summary>
    public string Get(string? cultureName)
    {
        if (Plain is not null)
        {
            return Plain;
        }

        var name = cultureName;
        while (!string.IsNullOrEmpty(name))
        {
            if (TryGetExact(name, out var text))
            {
                return text;
            }

            var dash = name.LastIndexOf('-');
            name = dash < 0 ? null : name[..dash];
        }

        return TryGetExact("en", out var english) ? english : _texts[0].Value;
    }

    /// <summary>The text for a culture, e.g. <see cref="CultureInfo.CurrentUICulture"/>.</summary>
    public string Get(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        return Get(culture.Name);
    }

    /// <summary>The text for exactly this language key (ignoring case), without fallback.</summary>
    public bool TryGetExact(string language, [MaybeNullWhen(false)] out string text)
    {
        ArgumentNullException.ThrowIfNull(language);
        foreach (var (key, value) in _texts)
        {
            if (string.Equals(key, language, StringComparison.OrdinalIgnoreCase))
            {
                text = value;
                return true;
            }
        }

        text = null;
        return false;
    }

    /// <inheritdoc/>
    public override string ToString() => Default;
}
