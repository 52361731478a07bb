using System.Text.RegularExpressions;

namespace Transmission.Station.Tests.Localization;

/// <summary>
/// No user-facing English in the code of the translated command lines: a scan of their C# sources for string literals
/// with words in what is written to the user (<c>WriteLine</c>/<c>Write</c>), in one-line failures
/// (<c>CommandFailureException</c>), in help (<c>Description =</c>, <c>new Command(name, description)</c>,
/// <c>new RootCommand(...)</c>), in parse errors (<c>AddError</c>), in the dashboard's plain answers
/// (<c>Results.Text</c>, <c>Response.WriteAsync</c>) and in what the station keeps or reports about a failed send
/// (<c>RecordFailure</c>, <c>SendEvent</c>, <c>RetryDecision</c>, <c>FailureNote</c>). Interpolation holes, reason
/// codes (<c>RECEIPT_INVALID</c>) and text without two letters in a row (separators, padding) are not text. Logs
/// (Serilog) stay in English and are not scanned.
/// </summary>
public sealed partial class SourceScanTests
{
    /// <summary>The folders whose user-facing text must all come from resources.</summary>
    private static readonly string[] Scanned = ["src/Station", "src/Transmission.Cli", "src/Auditor", "src/Verifier", "src/Central/Dashboard"];

    /// <summary>Literals that are not language: the program's name as a prefix of progress lines, a hash's name as a column, a media type.</summary>
    private static readonly HashSet<string> NotText = new(StringComparer.Ordinal)
    {
        "\"sha256\"",
        "\"text/plain; charset=utf-8\"",
        "$\" --checkpoints {k}\"",
        "$\"transmission-audit: {Phase(value)}\"",
        "$\"transmission-audit: {Phase(value)}: {value.Done * 100 / value.Total} %\"",
    };

    [Fact]
    public void Sources_ScannedFolders_NoUserFacingLiteralOutsideResources()
    {
        var found = Files().SelectMany(f => Literals(f.Text).Select(l => $"{f.Relative}: {l}")).ToArray();

        Assert.True(found.Length == 0, "user-facing text not from resources:\n" + string.Join("\n", found));
    }

    [Fact]
    public void Pages_Dashboard_NoTextOutsideResources()
    {
        var found = Pages().SelectMany(p => PageText(p.Text).Select(t => $"{p.Relative}: {t}")).ToArray();

        Assert.True(found.Length == 0, "page text not from resources:\n" + string.Join("\n", found));
    }

    [Theory]
    [InlineData("<h1>Progress</h1>", 1)]
    [InlineData("<h1>@DashboardStrings.ProgressHeading</h1>", 0)]
    [InlineData("<span class=\"visually-hidden\">Share reported</span>", 1)]
    [InlineData("<progress aria-label=\"stations reported\"></progress>", 1)]
    [InlineData("<a href=\"@link\" aria-label=\"@label\">@text</a> · <code>@x</code>", 0)]
    [InlineData("<table>\n    @* A note for whoever edits the page. *@\n    <caption>@x</caption>", 0)]
    public void PageText_Samples_FoundOrNot(string markup, int expected)
    {
        Assert.Equal(expected, PageText(markup).Count);
    }

    [Theory]
    [InlineData("console.WriteLine($\"signed revision {r}\");", 1)]
    [InlineData("throw new CommandFailureException(ExitCodes.Usage, \"--revision must be 1 or more\");", 1)]
    [InlineData("var o = new Option<string>(\"--dir\") { Description = \"The station folder.\", Required = true };", 1)]
    [InlineData("new Command(\"protocol\", \"The result protocol.\")", 1)]
    [InlineData("new Command(\"protocol\", StationText.ProtocolDescription)", 0)]
    [InlineData("console.WriteLine(Localized.Format(StationText.Signed, r));", 0)]
    [InlineData("console.WriteLine(\"  \" + line);", 0)]
    [InlineData("console.WriteLine($\"{a}: {b}\");", 0)]
    [InlineData("outbox.RecordFailure(1, Note(\"RECEIPT_INVALID\"), null);", 0)]
    [InlineData("outbox.RecordFailure(1, \"receipt invalid\", null);", 1)]
    [InlineData("return Results.Text(\"No such attachment.\", statusCode: 404);", 1)]
    [InlineData("await context.Response.WriteAsync(\"No such export.\", cancellationToken);", 1)]
    [InlineData("return PlainText(DashboardStrings.AttachmentNotFound, StatusCodes.Status404NotFound);", 0)]
    public void Literals_Samples_FoundOrNot(string code, int expected)
    {
        Assert.Equal(expected, Literals(code).Count);
    }

    private static IEnumerable<(string Relative, string Text)> Files()
    {
        var root = ResourceFilesTests.RepositoryRoot();
        foreach (var folder in Scanned)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                if (relative.Contains("/obj/", StringComparison.Ordinal) || relative.Contains("/bin/", StringComparison.Ordinal))
                {
                    continue;
                }

                yield return (relative, File.ReadAllText(file));
            }
        }
    }

    private static IEnumerable<(string Relative, string Text)> Pages()
    {
        var root = ResourceFilesTests.RepositoryRoot();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "src/Central/Dashboard/Pages"), "*.cshtml", SearchOption.AllDirectories))
        {
            yield return (Path.GetRelativePath(root, file).Replace('\\', '/'), File.ReadAllText(file));
        }
    }

    /// <summary>Text between tags and in human-readable attributes (aria-label, title, alt, placeholder) that is not a Razor expression.</summary>
    private static List<string> PageText(string markup)
    {
        var result = new List<string>();
        var withoutCode = string.Join('\n', WithoutCodeBlocks(RazorComment().Replace(markup, string.Empty)).Split('\n').Where(line => !IsCodeLine(line.Trim())));
        foreach (Match m in BetweenTags().Matches(withoutCode))
        {
            var text = RazorExpression().Replace(m.Groups[1].Value, string.Empty);
            if (Word().IsMatch(text))
            {
                result.Add(m.Groups[1].Value.Trim());
            }
        }

        foreach (Match m in HumanAttribute().Matches(markup))
        {
            if (!m.Groups[1].Value.StartsWith('@') && Word().IsMatch(m.Groups[1].Value))
            {
                result.Add(m.Value);
            }
        }

        return result;
    }

    /// <summary>The markup without <c>@{ ... }</c> code blocks (balanced braces).</summary>
    private static string WithoutCodeBlocks(string markup)
    {
        var builder = new System.Text.StringBuilder(markup.Length);
        var i = 0;
        while (i < markup.Length)
        {
            if (markup[i] == '@' && i + 1 < markup.Length && markup[i + 1] == '{')
            {
                var depth = 0;
                for (i++; i < markup.Length; i++)
                {
                    depth += markup[i] == '{' ? 1 : markup[i] == '}' ? -1 : 0;
                    if (depth == 0)
                    {
                        i++;
                        break;
                    }
                }

                continue;
            }

            builder.Append(markup[i]);
            i++;
        }

        return builder.ToString();
    }

    /// <summary>A line of Razor control flow (<c>@if (...)</c>, <c>else</c>, braces, a <c>var</c>), not markup.</summary>
    private static bool IsCodeLine(string line) =>
        line is "{" or "}" or "else" || line.StartsWith("@if", StringComparison.Ordinal) || line.StartsWith("@foreach", StringComparison.Ordinal)
        || line.StartsWith("@for ", StringComparison.Ordinal) || line.StartsWith("@switch", StringComparison.Ordinal)
        || line.StartsWith("else ", StringComparison.Ordinal) || line.StartsWith("if (", StringComparison.Ordinal)
        || line.StartsWith("var ", StringComparison.Ordinal) || line.StartsWith("@page", StringComparison.Ordinal)
        || line.StartsWith("@model", StringComparison.Ordinal) || line.StartsWith("@inject", StringComparison.Ordinal)
        || line.StartsWith("@using", StringComparison.Ordinal) || line.StartsWith("@namespace", StringComparison.Ordinal)
        || line.StartsWith("@addTagHelper", StringComparison.Ordinal) || line.StartsWith("@RenderBody", StringComparison.Ordinal);

    /// <summary>The offending literals in <paramref name="code"/>: each user-facing call's arguments, literal by literal.</summary>
    private static List<string> Literals(string code)
    {
        var result = new List<string>();
        foreach (Match call in UserFacingCall().Matches(code))
        {
            var arguments = Arguments(code, call.Index + call.Length, isAssignment: call.Value.StartsWith("Description", StringComparison.Ordinal));
            var literals = StringLiteral().Matches(arguments).Select(m => m.Value).ToList();
            if (call.Value.Contains("new Command(", StringComparison.Ordinal) && literals.Count > 0 && arguments.TrimStart().StartsWith('"'))
            {
                literals.RemoveAt(0); // The command's name, typed by the user, not shown text.
            }

            result.AddRange(literals.Where(l => IsText(l) && !NotText.Contains(l)));
        }

        return result;
    }

    /// <summary>The text up to the call's closing parenthesis (or, for an assignment, the end of the value).</summary>
    private static string Arguments(string code, int start, bool isAssignment)
    {
        var depth = 0;
        var inString = false;
        for (var i = start; i < code.Length; i++)
        {
            var c = code[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '(' or '{' or '[':
                    depth++;
                    break;
                case ')' or '}' or ']' when depth == 0:
                    return code[start..i];
                case ')' or '}' or ']':
                    depth--;
                    break;
                case ',' or ';' when isAssignment && depth == 0:
                    return code[start..i];
                case ';' when depth == 0:
                    return code[start..i];
            }
        }

        return code[start..];
    }

    /// <summary>Whether a literal has words once interpolation holes are removed.</summary>
    private static bool IsText(string literal)
    {
        var body = literal.TrimStart('$', '@').Trim('"');
        if (literal.StartsWith('$'))
        {
            body = Hole().Replace(body.Replace("{{", string.Empty, StringComparison.Ordinal).Replace("}}", string.Empty, StringComparison.Ordinal), string.Empty);
        }

        return Word().IsMatch(body) && !ReasonCode().IsMatch(body);
    }

    [GeneratedRegex(@"(?:\.WriteLine|\.Write|\.WriteLineAsync|\.WriteAsync|Results\.Text|new CommandFailureException|new RootCommand|new Command|\.AddError|\.NewTable|new Text|\.AddTextRow|\bRow|\.AddTask|SignedCopy\.Fail|RecordFailure|new SendEvent|new RetryDecision|new FailureNote)\(|Description\s*=\s*")]
    private static partial Regex UserFacingCall();

    [GeneratedRegex(@"\$?@?""(?:[^""\\]|\\.)*""")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^{}]*\}")]
    private static partial Regex Hole();

    [GeneratedRegex(@"[A-Za-z]{2,}")]
    private static partial Regex Word();

    /// <summary>A reason code such as <c>RECEIPT_INVALID</c>: stable, the same in every language, not text.</summary>
    [GeneratedRegex(@"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")]
    private static partial Regex ReasonCode();

    // Text after a tag's '>' up to the next '<', on one line or several; code blocks (@{ ... }) have no tags inside.
    [GeneratedRegex(@">([^<>]+)<")]
    private static partial Regex BetweenTags();

    // @Name, @Name.Member(...), @(expression): what Razor writes, not literal text.
    [GeneratedRegex(@"@\((?:[^()]|\([^()]*\))*\)|@[A-Za-z_][\w.]*(?:\[[^\]]*\])?(?:\((?:[^()]|\([^()]*\))*\))?(?:\.[\w]+(?:\((?:[^()]|\([^()]*\))*\))?)*")]
    private static partial Regex RazorExpression();

    // @* ... *@: a Razor comment, never sent to the browser.
    [GeneratedRegex(@"@\*.*?\*@", RegexOptions.Singleline)]
    private static partial Regex RazorComment();

    [GeneratedRegex(@"\b(?:aria-label|title|alt|placeholder)=""([^""]*)""")]
    private static partial Regex HumanAttribute();
}
